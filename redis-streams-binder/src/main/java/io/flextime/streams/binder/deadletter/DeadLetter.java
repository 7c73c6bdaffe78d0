package io.flextime.streams.binder.deadletter;

import java.util.List;

/**
 * One entry on its way to a dead-letter stream.
 *
 * @param fields the original entry's fields as they are stored, names and values alternating: a replay puts back
 * the same bytes, whether or not they are text, and the binder's own fields ({@code scst_headerTypes}) with them
 * @param originalStream the stream it was read from
 * @param originalId its id there
 * @param group the group that gave up on it
 * @param deliveryCount how often it had been delivered
 * @param cause why it was given up on
 */
public record DeadLetter(List<byte[]> fields, String originalStream, String originalId, String group,
        long deliveryCount, Throwable cause) {
}
