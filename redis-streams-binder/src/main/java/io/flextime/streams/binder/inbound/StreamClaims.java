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
import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.StreamMessage;
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

    /**
     * The check every script below makes before it touches an entry: {@code owned(id)} is the entry's
     * pending-list record ({@code {id, consumer, idle, deliveries}}) if the consumer {@code ARGV[2]} of group
     * {@code ARGV[1]} still holds it, else {@code nil}. A plain {@code XCLAIM ... 0} would take back an entry
     * another consumer claimed meanwhile, while that one may be handling it.
     */
    private static final String OWNED = """
            local function owned(id)
              local pending = redis.call('XPENDING', KEYS[1], ARGV[1], id, id, 1)
              if #pending == 1 and pending[1][2] == ARGV[2] then
                return pending[1]
              end
              return nil
            end
            """;

    /** Re-owns the entries a consumer still holds (resets their idle time), skipping any no longer its own. */
    private static final String REFRESH_OWNED = OWNED + """
            local refreshed = 0
            for i = 3, #ARGV do
              if owned(ARGV[i]) then
                redis.call('XCLAIM', KEYS[1], ARGV[1], ARGV[2], 0, ARGV[i], 'JUSTID')
                refreshed = refreshed + 1
              end
            end
            return refreshed
            """;

    /**
     * {@code XCLAIM} of one entry (counting a delivery, returning the body) only while this consumer still owns
     * it: {@code {deliveries before, reply}}, else {@code {-1}}.
     */
    private static final String CLAIM_OWNED = OWNED + """
            local pending = owned(ARGV[3])
            if pending then
              return {pending[4], redis.call('XCLAIM', KEYS[1], ARGV[1], ARGV[2], 0, ARGV[3])}
            end
            return {-1}
            """;

    /**
     * Hands entries back to the group: those this consumer still owns get an idle time of {@code ARGV[3]} ms,
     * so another consumer's next claim pass takes them, and their delivery count less the deliveries this
     * consumer counted but never handed out ({@code ARGV[i + 1]}: 1 for an entry it read fresh, 0 for one it
     * claimed with {@code JUSTID} or never claimed).
     */
    private static final String RELEASE_OWNED = OWNED + """
            local released = 0
            for i = 4, #ARGV, 2 do
              local pending = owned(ARGV[i])
              if pending then
                local count = math.max(0, pending[4] - tonumber(ARGV[i + 1]))
                redis.call('XCLAIM', KEYS[1], ARGV[1], ARGV[2], 0, ARGV[i], 'IDLE', ARGV[3],
                  'RETRYCOUNT', count, 'JUSTID')
                released = released + 1
              end
            end
            return released
            """;

    private StreamClaims() {
    }

    /**
     * One {@code XAUTOCLAIM ... JUSTID} page: moves idle entries to this consumer without counting a
     * delivery (the reader counts one when it actually hands an entry out). Sent raw because Lettuce drops
     * the reply's third element: the ids of pending entries whose bodies were trimmed away, which Redis 7
     * removes from the pending list as it claims.
     */
    static ClaimPage autoClaimIds(StreamConnection connection, byte[] key, Consumer<byte[]> consumer, Duration minIdle,
            String cursor, int count) {
        CommandArgs<byte[], byte[]> args = new CommandArgs<>(ByteArrayCodec.INSTANCE).addKey(key)
                .add(consumer.getGroup()).add(consumer.getName()).add(minIdle.toMillis()).add(cursor)
                .add("COUNT").add(count).add("JUSTID");
        List<Object> reply = connection.await(connection.async()
                .dispatch(CommandType.XAUTOCLAIM, new ArrayOutput<>(ByteArrayCodec.INSTANCE), args));
        List<String> ids = new ArrayList<>();
        ((List<?>) reply.get(1)).forEach(id -> ids.add(text(id)));
        List<String> trimmed = new ArrayList<>();
        if (reply.size() > 2 && reply.get(2) instanceof List<?> deleted) {
            deleted.forEach(id -> trimmed.add(text(id)));
        }
        return new ClaimPage(text(reply.get(0)), ids, trimmed);
    }

    /** Delivery counts of the given entries of this consumer; one pipelined {@code XPENDING} per id. */
    static Map<String, Long> deliveryCounts(StreamConnection connection, byte[] key, Consumer<byte[]> consumer,
            List<String> ids) {
        List<RedisFuture<List<PendingMessage>>> replies = new ArrayList<>(ids.size());
        for (String id : ids) {
            replies.add(connection.async().xpending(key, consumer, Range.create(id, id), Limit.from(1)));
        }
        Map<String, Long> counts = new HashMap<>(ids.size() * 2);
        for (RedisFuture<List<PendingMessage>> reply : replies) {
            connection.await(reply).forEach(pending -> counts.put(pending.getId(), pending.getRedeliveryCount()));
        }
        return counts;
    }

    /**
     * Claims one entry this consumer owns, for handling: {@code XCLAIM} counts the delivery and returns the
     * body, unless another consumer has claimed the entry since (see {@link #CLAIM_OWNED}).
     */
    static OwnedClaim claimOwned(StreamConnection connection, byte[] key, Consumer<byte[]> consumer, String id) {
        List<Object> reply = connection.await(connection.async().eval(CLAIM_OWNED.getBytes(UTF_8), ScriptOutputType.MULTI,
                new byte[][] { key }, consumer.getGroup(), consumer.getName(), id.getBytes(UTF_8)));
        long previousDeliveries = ((Number) reply.get(0)).longValue();
        if (previousDeliveries < 0) {
            return new OwnedClaim(false, 0, null);
        }
        // Redis 7 returns nothing for an entry trimmed away (and drops it from the pending list); 6.2 a nil entry.
        List<?> claimed = (List<?>) reply.get(1);
        if (claimed.isEmpty() || !(claimed.get(0) instanceof List<?> entry) || !(entry.get(1) instanceof List<?> fields)) {
            return new OwnedClaim(true, previousDeliveries, null);
        }
        Map<byte[], byte[]> body = new LinkedHashMap<>(fields.size());
        for (int i = 0; i + 1 < fields.size(); i += 2) {
            body.put((byte[]) fields.get(i), (byte[]) fields.get(i + 1));
        }
        return new OwnedClaim(true, previousDeliveries, new StreamMessage<>(key, text(entry.get(0)), body));
    }

    /**
     * Resets the idle time of entries this consumer is still working on, so that another consumer's
     * {@code XAUTOCLAIM} never takes them mid-flight. {@code JUSTID} leaves the delivery count alone; ids
     * already acknowledged, or claimed by someone else, are left alone.
     */
    static void refreshOwnership(StreamConnection connection, byte[] key, Consumer<byte[]> consumer, String[] ids) {
        byte[][] arguments = new byte[ids.length + 2][];
        arguments[0] = consumer.getGroup();
        arguments[1] = consumer.getName();
        for (int i = 0; i < ids.length; i++) {
            arguments[i + 2] = ids[i].getBytes(UTF_8);
        }
        connection.await(connection.async().eval(REFRESH_OWNED.getBytes(UTF_8), ScriptOutputType.INTEGER,
                new byte[][] { key }, arguments));
    }

    /**
     * Releases entries this consumer took but never started, so that another consumer claims them at its next
     * claim pass instead of after {@code idle} of silence (see {@link #RELEASE_OWNED}).
     *
     * @param uncounted for each id, the deliveries this consumer counted for it without handing it out
     * @return how many were still this consumer's, and released
     */
    static long release(StreamConnection connection, byte[] key, Consumer<byte[]> consumer, Duration idle,
            Map<String, Integer> uncounted) {
        byte[][] arguments = new byte[3 + uncounted.size() * 2][];
        arguments[0] = consumer.getGroup();
        arguments[1] = consumer.getName();
        arguments[2] = Long.toString(idle.toMillis()).getBytes(UTF_8);
        int i = 3;
        for (Map.Entry<String, Integer> entry : uncounted.entrySet()) {
            arguments[i++] = entry.getKey().getBytes(UTF_8);
            arguments[i++] = Integer.toString(entry.getValue()).getBytes(UTF_8);
        }
        return connection.await(connection.async().<Long>eval(RELEASE_OWNED.getBytes(UTF_8), ScriptOutputType.INTEGER,
                new byte[][] { key }, arguments));
    }

    private static String text(Object value) {
        return value instanceof byte[] bytes ? new String(bytes, UTF_8) : String.valueOf(value);
    }

    /**
     * @param next the cursor for the next page; {@link #START} when the scan is complete
     * @param ids the claimed ids, now pending under this consumer
     * @param trimmed ids of claimed entries whose bodies no longer exist
     */
    record ClaimPage(String next, List<String> ids, List<String> trimmed) {
    }

    /**
     * @param owned whether the entry was still this consumer's, and so is now claimed by it
     * @param previousDeliveries its delivery count before this claim, read in the same step
     * @param entry the claimed entry; {@code null} if not owned, or if its body was trimmed away
     */
    record OwnedClaim(boolean owned, long previousDeliveries, StreamMessage<byte[], byte[]> entry) {
    }
}
