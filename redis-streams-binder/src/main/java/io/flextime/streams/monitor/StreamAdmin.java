package io.flextime.streams.monitor;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.Limit;
import io.lettuce.core.LettuceFutures;
import io.lettuce.core.Range;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XClaimArgs;
import io.lettuce.core.XPendingArgs;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.XTrimArgs;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.models.stream.PendingMessage;
import io.lettuce.core.output.CommandOutput;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.output.StreamMessageListOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;

/**
 * The operations an operator performs on streams, shared by the service's admin API and the desktop monitor
 * so that both do exactly the same thing: trim, reset a group, delete a consumer (never one that still holds
 * pending entries), acknowledge or claim pending entries, browse entries, delete a stream, and replay dead
 * letters to the streams they came from.
 */
public class StreamAdmin implements AutoCloseable {

    /** Field naming the stream a dead letter came from (written by the binder). */
    public static final String ORIGINAL_STREAM_FIELD = "dlq_originalStream";

    private static final byte[] ORIGINAL_STREAM_FIELD_BYTES = ORIGINAL_STREAM_FIELD.getBytes(StandardCharsets.UTF_8);

    private static final byte[] DEAD_LETTER_FIELD_PREFIX_BYTES = "dlq_".getBytes(StandardCharsets.UTF_8);

    private static final String DELETE_CONSUMER_IF_IDLE = """
            if #redis.call('XPENDING', KEYS[1], ARGV[1], '-', '+', 1, ARGV[2]) == 0 then
              return redis.call('XGROUP', 'DELCONSUMER', KEYS[1], ARGV[1], ARGV[2])
            end
            return -1
            """;

    private final RedisClusterAsyncCommands<String, String> redis;

    private final Duration timeout;

    private final TextConnection owned;

    /** How many pages of letters left in place one replay reads past, at most. */
    static final int REPLAY_LOOK_AHEAD = 10;

    public StreamAdmin(RedisClusterAsyncCommands<String, String> redis, Duration timeout) {
        this(redis, timeout, null);
    }

    private StreamAdmin(RedisClusterAsyncCommands<String, String> redis, Duration timeout,
            TextConnection owned) {
        this.redis = redis;
        this.timeout = timeout;
        this.owned = owned;
    }

    /** An admin with its own connection from a Lettuce client (standalone, Sentinel or Cluster); close it when done. */
    public static StreamAdmin open(AbstractRedisClient client, Duration timeout) {
        return owning(TextConnection.open(client), timeout);
    }

    /** An admin on {@code connection}, which it closes when it is closed. */
    public static StreamAdmin owning(TextConnection connection, Duration timeout) {
        return new StreamAdmin(connection.async(), timeout, connection);
    }

    public boolean isStream(String key) {
        return "stream".equals(await(this.redis.type(key)));
    }

    public long length(String key) {
        return await(this.redis.xlen(key));
    }

    /** Keeps the newest {@code maxLength} entries; returns how many were removed. */
    public long trimToLength(String key, long maxLength, boolean approximate) {
        return await(this.redis.xtrim(key, new XTrimArgs().maxlen(maxLength).approximateTrimming(approximate)));
    }

    /** Removes entries older than {@code minId}; returns how many were removed. */
    public long trimToMinId(String key, String minId, boolean approximate) {
        return await(this.redis.xtrim(key, new XTrimArgs().minId(minId).approximateTrimming(approximate)));
    }

    /** Moves a group to {@code $} (only new entries), {@code 0} (everything again) or an entry id. */
    public void resetGroup(String key, String group, String id) {
        await(this.redis.xgroupSetid(XReadArgs.StreamOffset.from(key, id), group));
    }

    /**
     * Deletes a consumer, but never one with pending entries: {@code XGROUP DELCONSUMER} would discard them.
     * The check and the deletion are one script, so entries read in between are not lost either.
     * @return {@code false} when the consumer holds pending entries (claim them elsewhere first)
     */
    public boolean deleteConsumerIfNothingPending(String key, String group, String consumer) {
        Long result = await(this.redis.eval(DELETE_CONSUMER_IF_IDLE, ScriptOutputType.INTEGER, new String[] { key },
                group, consumer));
        return result != null && result >= 0;
    }

    public long acknowledge(String key, String group, String... ids) {
        return await(this.redis.xack(key, group, ids));
    }

    /** Gives pending entries to {@code consumer} (without counting a delivery); returns the ids moved. */
    public List<String> claim(String key, String group, String consumer, String... ids) {
        List<StreamMessage<String, String>> moved = await(this.redis.xclaim(key,
                io.lettuce.core.Consumer.from(group, consumer), new XClaimArgs().minIdleTime(0).justid(), ids));
        return moved.stream().map(StreamMessage::getId).toList();
    }

    /** The oldest {@code count} pending entries of a group: id, consumer, idle time, delivery count. */
    public List<PendingMessage> pending(String key, String group, int count) {
        return await(this.redis.xpending(key, XPendingArgs.Builder.xpending(group, Range.create("-", "+"), Limit.from(count))));
    }

    /** Entries between two ids ({@code -}, {@code +}, ids, {@code (id} exclusive), oldest first unless reversed. */
    public List<StreamMessage<String, String>> entries(String key, String start, String end, int count, boolean reverse) {
        Range<String> range = Range.from(boundary(start), boundary(end));
        return await(reverse ? this.redis.xrevrange(key, range, Limit.from(count)) : this.redis.xrange(key, range, Limit.from(count)));
    }

    public boolean deleteStream(String key) {
        return await(this.redis.del(key)) == 1;
    }

    /**
     * Moves up to {@code maxCount} dead letters, oldest first, back to their {@code dlq_originalStream} with
     * their original fields ({@code dlq_*} stripped), then deletes them from the dead-letter stream. Add, then
     * delete: a crash in between replays that entry twice, never zero times (and so may an add that timed out,
     * reported as skipped, if Redis did it after all). Every group of the original stream gets a replayed entry,
     * not only the group whose dead letter it was. A letter that cannot be moved is left in place and reported as
     * skipped, and the letters after it still move: no original stream or fields, an original stream that does
     * not exist (any more), one that is itself a dead-letter stream, one outside {@code targetPrefix}, or one
     * Redis refused the add to. A letter never creates a stream ({@code NOMKSTREAM}):
     * a deleted stream would come back without its groups, and a garbled {@code dlq_originalStream} would make a
     * key anywhere. So that letters left in place cannot hold back the ones behind them for good, one call reads
     * on past them, looking at no more than {@value #REPLAY_LOOK_AHEAD} times {@code maxCount} letters.
     */
    public ReplayResult replayDeadLetters(String deadLetterStream, int maxCount, String targetPrefix) {
        Objects.requireNonNull(targetPrefix, "targetPrefix: the prefix of the streams letters may go back to, or \"\"");
        byte[] key = deadLetterStream.getBytes(StandardCharsets.UTF_8);
        List<Replayed> replayed = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        String from = "-";
        for (int page = 0; page < REPLAY_LOOK_AHEAD && replayed.size() < maxCount; page++) {
            int wanted = maxCount - replayed.size();
            List<StreamMessage<byte[], byte[]>> letters = rawRange(key, from, wanted);
            for (StreamMessage<byte[], byte[]> letter : letters) {
                Replayed moved = replay(deadLetterStream, letter, targetPrefix);
                if (moved == null) {
                    skipped.add(letter.getId());
                }
                else {
                    replayed.add(moved);
                }
            }
            if (letters.size() < wanted) {
                break;
            }
            from = "(" + letters.get(letters.size() - 1).getId();
        }
        return new ReplayResult(replayed, skipped);
    }

    /**
     * One letter back to its stream, then out of the dead-letter stream; {@code null} when it stays. The fields
     * travel as bytes: a payload or header need not be text, and a UTF-8 round trip would garble one that is not.
     */
    private Replayed replay(String deadLetterStream, StreamMessage<byte[], byte[]> letter, String targetPrefix) {
        byte[] target = letter.getBody().entrySet().stream()
                .filter(field -> Arrays.equals(field.getKey(), ORIGINAL_STREAM_FIELD_BYTES))
                .map(Map.Entry::getValue).findFirst().orElse(null);
        if (target == null || !isReplayTarget(new String(target, StandardCharsets.UTF_8), targetPrefix)) {
            return null;
        }
        CommandArgs<byte[], byte[]> add = new CommandArgs<>(ByteArrayCodec.INSTANCE).addKey(target).add("NOMKSTREAM")
                .add("*");
        int originalFields = 0;
        for (Map.Entry<byte[], byte[]> field : letter.getBody().entrySet()) {
            if (!startsWith(field.getKey(), DEAD_LETTER_FIELD_PREFIX_BYTES)) {
                add.add(field.getKey()).add(field.getValue());
                originalFields++;
            }
        }
        if (originalFields == 0) {
            return null;
        }
        String newId;
        try {
            newId = awaitRaw(CommandType.XADD, new StatusOutput<>(ByteArrayCodec.INSTANCE), add);
        }
        catch (RuntimeException ex) {
            return null;
        }
        if (newId == null) {
            return null;
        }
        await(this.redis.xdel(deadLetterStream, letter.getId()));
        return new Replayed(letter.getId(), new String(target, StandardCharsets.UTF_8), newId);
    }

    /** {@code XRANGE key from + COUNT count}, the fields as bytes. */
    private List<StreamMessage<byte[], byte[]>> rawRange(byte[] key, String from, int count) {
        CommandArgs<byte[], byte[]> args = new CommandArgs<>(ByteArrayCodec.INSTANCE).addKey(key).add(from).add("+")
                .add("COUNT").add(count);
        return awaitRaw(CommandType.XRANGE, new StreamMessageListOutput<>(ByteArrayCodec.INSTANCE, key), args);
    }

    /**
     * A command with a byte-array codec on this String-codec connection: Lettuce encodes a command with its
     * arguments' codec and decodes the reply with its output's, whatever the connection's types say.
     */
    @SuppressWarnings({ "unchecked", "rawtypes" })
    private <T> T awaitRaw(CommandType type, CommandOutput<byte[], byte[], T> output, CommandArgs<byte[], byte[]> args) {
        return await((RedisFuture<T>) this.redis.dispatch(type, (CommandOutput) output, (CommandArgs) args));
    }

    private static boolean startsWith(byte[] name, byte[] prefix) {
        return name.length >= prefix.length && Arrays.equals(name, 0, prefix.length, prefix, 0, prefix.length);
    }

    private <T> T await(RedisFuture<T> future) {
        return LettuceFutures.awaitOrCancel(future, this.timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    private static Range.Boundary<String> boundary(String id) {
        if (id.equals("-") || id.equals("+")) {
            return Range.Boundary.unbounded();
        }
        return id.startsWith("(") ? Range.Boundary.excluding(id.substring(1)) : Range.Boundary.including(id);
    }

    @Override
    public void close() {
        if (this.owned != null) {
            this.owned.close();
        }
    }

    /** One replayed letter: its dead-letter id, the stream it went back to, and its new id there. */
    public record Replayed(String deadLetterId, String stream, String newId) {
    }

    /**
     * A garbled or hand-written {@code dlq_originalStream} must not reach a stream of another application sharing
     * the Redis (outside the prefix), nor a dead-letter stream, where the letter would be dead again at once.
     */
    private static boolean isReplayTarget(String stream, String targetPrefix) {
        return stream.startsWith(targetPrefix) && !stream.endsWith(StreamSnapshot.DEAD_LETTER_SUFFIX);
    }

    /**
     * @param replayed the letters moved back
     * @param skipped ids of letters left in place (see {@link #replayDeadLetters})
     */
    public record ReplayResult(List<Replayed> replayed, List<String> skipped) {
    }
}
