package io.flextime.streams.monitor;

import java.util.List;

/**
 * One stream.
 *
 * @param key the Redis key
 * @param name the key without the monitored prefix
 * @param deadLetter whether it is a dead-letter stream ({@code ....dlq})
 * @param length entries in the stream
 * @param firstId oldest entry id, {@code null} when empty
 * @param lastId newest entry id ({@code last-generated-id})
 * @param entriesAdded entries ever added (7.0+), {@code null} when unknown
 * @param memoryBytes {@code MEMORY USAGE ... SAMPLES 5}, {@code null} when not allowed or unknown
 * @param groups its consumer groups
 */
public record StreamSnapshot(String key, String name, boolean deadLetter, long length, String firstId, String lastId,
        Long entriesAdded, Long memoryBytes, List<GroupSnapshot> groups) {

    /** How a dead-letter stream's key ends: the binder names them {@code {<stream key>}.<group>.dlq}. */
    public static final String DEAD_LETTER_SUFFIX = ".dlq";

}
