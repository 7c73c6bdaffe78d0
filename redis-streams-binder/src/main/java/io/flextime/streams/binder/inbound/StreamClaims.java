package io.flextime.streams.binder.inbound;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.lettuce.core.Consumer;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XClaimArgs;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.models.stream.PendingMessage;
import io.lettuce.core.output.ArrayOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;

import io.flextime.streams.binder.connection.StreamConnection;

import static java.nio.charset.StandardCharsets.UTF_8;

/** The pending-entries commands a reader needs beyond reading: claiming, delivery counts, ownership refresh. */
final class StreamClaims {

    /** The cursor value with which {@code XAUTOCLAIM} starts and with which it says it is done. */
    static final String START = "0-0";

    private StreamClaims() {
    }

    /**
     * One {@code XAUTOCLAIM} page. Sent raw because Lettuce drops the third element of the reply: the ids
     * of pending entries whose bodies were trimmed away, which Redis 7 removes from the pending list as it
     * claims. Redis 6.2 returns those entries with a nil body instead; both are reported.
     */
    static ClaimPage autoClaim(StreamConnection connection, byte[] key, Consumer<byte[]> consumer, Duration minIdle,
            String cursor, int count) {
        CommandArgs<byte[], byte[]> args = new CommandArgs<>(ByteArrayCodec.INSTANCE).addKey(key)
                .add(consumer.getGroup()).add(consumer.getName()).add(minIdle.toMillis()).add(cursor)
                .add("COUNT").add(count);
        List<Object> reply = connection.await(connection.async()
                .dispatch(CommandType.XAUTOCLAIM, new ArrayOutput<>(ByteArrayCodec.INSTANCE), args));
        String next = text(reply.get(0));
        List<StreamMessage<byte[], byte[]>> entries = new ArrayList<>();
        List<String> trimmed = new ArrayList<>();
        for (Object item : (List<?>) reply.get(1)) {
            List<?> entry = (List<?>) item;
            String id = text(entry.get(0));
            if (entry.size() < 2 || entry.get(1) == null) {
                trimmed.add(id);
            }
            else {
                entries.add(new StreamMessage<>(key, id, body((List<?>) entry.get(1))));
            }
        }
        if (reply.size() > 2 && reply.get(2) instanceof List<?> deleted) {
            deleted.forEach(id -> trimmed.add(text(id)));
        }
        return new ClaimPage(next, entries, trimmed);
    }

    /** Delivery counts of this consumer's pending entries between the first and last of {@code entries}. */
    static Map<String, Long> deliveryCounts(StreamConnection connection, byte[] key, Consumer<byte[]> consumer,
            List<StreamMessage<byte[], byte[]>> entries) {
        if (entries.isEmpty()) {
            return Map.of();
        }
        List<PendingMessage> pending = connection.await(connection.async().xpending(key, consumer,
                Range.create(entries.get(0).getId(), entries.get(entries.size() - 1).getId()),
                Limit.from(entries.size())));
        Map<String, Long> counts = new HashMap<>(pending.size() * 2);
        pending.forEach(message -> counts.put(message.getId(), message.getRedeliveryCount()));
        return counts;
    }

    /**
     * Resets the idle time of entries this consumer is still working on ({@code XCLAIM ... 0 JUSTID} to
     * itself), so that another consumer's {@code XAUTOCLAIM} never takes them mid-flight. {@code JUSTID}
     * leaves the delivery count alone; ids already acknowledged are ignored by Redis.
     */
    static void refreshOwnership(StreamConnection connection, byte[] key, Consumer<byte[]> consumer, String[] ids) {
        connection.await(connection.async().xclaim(key, consumer, new XClaimArgs().minIdleTime(0).justid(), ids));
    }

    private static Map<byte[], byte[]> body(List<?> flat) {
        Map<byte[], byte[]> body = new LinkedHashMap<>(flat.size());
        for (int i = 0; i + 1 < flat.size(); i += 2) {
            body.put((byte[]) flat.get(i), (byte[]) flat.get(i + 1));
        }
        return body;
    }

    private static String text(Object value) {
        return value instanceof byte[] bytes ? new String(bytes, UTF_8) : String.valueOf(value);
    }

    /**
     * @param next the cursor for the next page; {@link #START} when the scan is complete
     * @param entries the claimed entries, now pending under this consumer
     * @param trimmed ids of claimed entries whose bodies no longer exist
     */
    record ClaimPage(String next, List<StreamMessage<byte[], byte[]>> entries, List<String> trimmed) {
    }
}
