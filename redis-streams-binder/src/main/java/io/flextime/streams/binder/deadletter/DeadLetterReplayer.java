package io.flextime.streams.binder.deadletter;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.StreamMessage;

import io.flextime.streams.binder.connection.RedisStreamsConnector;
import io.flextime.streams.binder.connection.StreamConnection;

import static java.nio.charset.StandardCharsets.UTF_8;

/**
 * Moves dead letters back to the streams they came from, for the admin API. Each entry is re-added to its
 * {@code dlq_originalStream} with its original fields (the {@code dlq_*} fields stripped), then deleted
 * from the dead-letter stream. Add-then-delete means a crash in between replays that entry twice, never
 * zero times; handlers are idempotent anyway.
 */
public class DeadLetterReplayer implements AutoCloseable {

    private final RedisStreamsConnector connector;

    public DeadLetterReplayer(RedisStreamsConnector connector) {
        this.connector = connector;
    }

    @Override
    public void close() {
        this.connector.close();
    }

    /** Replays up to {@code maxCount} dead letters, oldest first. */
    public ReplayResult replay(String deadLetterStream, int maxCount) {
        StreamConnection connection = this.connector.shared();
        byte[] key = deadLetterStream.getBytes(UTF_8);
        List<StreamMessage<byte[], byte[]>> letters = connection.await(
                connection.async().xrange(key, Range.create("-", "+"), Limit.from(maxCount)));
        List<Replayed> replayed = new ArrayList<>(letters.size());
        List<String> skipped = new ArrayList<>();
        for (StreamMessage<byte[], byte[]> letter : letters) {
            String target = null;
            List<byte[]> original = new ArrayList<>(letter.getBody().size() * 2);
            for (Map.Entry<byte[], byte[]> field : letter.getBody().entrySet()) {
                String name = new String(field.getKey(), UTF_8);
                if (DeadLetterFields.ORIGINAL_STREAM.equals(name)) {
                    target = new String(field.getValue(), UTF_8);
                }
                else if (!name.startsWith(DeadLetterFields.PREFIX)) {
                    original.add(field.getKey());
                    original.add(field.getValue());
                }
            }
            if (target == null || original.isEmpty()) {
                skipped.add(letter.getId());
                continue;
            }
            String newId = connection.await(connection.async().xadd(target.getBytes(UTF_8), original.toArray()));
            connection.await(connection.async().xdel(key, letter.getId()));
            replayed.add(new Replayed(letter.getId(), target, newId));
        }
        return new ReplayResult(replayed, skipped);
    }

    /** One replayed letter: its dead-letter id, the stream it went back to, and its new id there. */
    public record Replayed(String deadLetterId, String stream, String newId) {
    }

    /**
     * @param replayed the letters moved back
     * @param skipped ids of entries that lack {@code dlq_originalStream} or any original field; left in place
     */
    public record ReplayResult(List<Replayed> replayed, List<String> skipped) {
    }
}
