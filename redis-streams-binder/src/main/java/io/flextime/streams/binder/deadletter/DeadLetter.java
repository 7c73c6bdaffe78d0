package io.flextime.streams.binder.deadletter;

import java.util.Map;

/**
 * One entry on its way to a dead-letter stream.
 *
 * @param payload the original payload bytes
 * @param headers the original message's headers (the binder's own are not written)
 * @param originalStream the stream it was read from
 * @param originalId its id there
 * @param group the group that gave up on it
 * @param deliveryCount how often it had been delivered
 * @param cause why it was given up on
 */
public record DeadLetter(byte[] payload, Map<String, Object> headers, String originalStream, String originalId,
        String group, long deliveryCount, Throwable cause) {
}
