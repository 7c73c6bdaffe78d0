package io.flextime.streams.monitor;

/**
 * What a binder counted for one stream and group, read from the hash {@code {<stream>}.<group>.counters}
 * (fields {@code processed}, {@code failed}, {@code deadLettered}, {@code claimed}). Counts only grow.
 */
public record ProcessingCounts(long processed, long failed, long deadLettered, long claimed) {

    public static final ProcessingCounts NONE = new ProcessingCounts(0, 0, 0, 0);

    /** The hash the binder writes for a stream key and group, in the stream's hash slot. */
    public static String key(String stream, String group) {
        return SlotKeys.companion(stream, "." + group + ".counters");
    }
}
