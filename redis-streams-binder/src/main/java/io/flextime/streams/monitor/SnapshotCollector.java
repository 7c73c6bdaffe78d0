package io.flextime.streams.monitor;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XPendingArgs;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.models.stream.PendingMessage;

/**
 * Takes one {@link MonitorSnapshot} of every stream under a key prefix, with a bounded number of round trips
 * however many streams and groups there are:
 * <ol>
 *   <li>the streams and dead-letter streams under the prefix, found by {@link StreamDiscovery}: a walk of the
 *   keyspace with {@code SCAN}, one round trip per page, at most {@link StreamDiscovery#PAGES_PER_PASS} pages
 *   per pass once the first walk is done;</li>
 *   <li>for all streams at once, pipelined: {@code XINFO STREAM}, {@code XINFO GROUPS}, {@code MEMORY USAGE};</li>
 *   <li>for all groups at once, pipelined: {@code XINFO CONSUMERS}, the oldest pending entries
 *   ({@code XPENDING - + 10}), the oldest undelivered entry ({@code XRANGE (<last-delivered> + COUNT 1}) and
 *   the binder's counters hash.</li>
 * </ol>
 * {@code XINFO STREAM FULL} is never used: it walks the whole stream. Replies from Redis 6.2 to 8.x all parse;
 * what a server does not report is {@code null}. A stream deleted since it was found is left out. Thread-safe.
 */
public class SnapshotCollector {

    private static final int PENDING_SAMPLE = 10;

    private final RedisClusterAsyncCommands<String, String> redis;

    private final String prefix;

    private final Clock clock;

    private final Duration timeout;

    private final StreamDiscovery discovery;

    public SnapshotCollector(RedisClusterAsyncCommands<String, String> redis, String prefix, Clock clock, Duration timeout) {
        this.redis = redis;
        this.prefix = prefix;
        this.clock = clock;
        this.timeout = timeout;
        this.discovery = new StreamDiscovery(redis, prefix, this::awaitAll);
    }

    public MonitorSnapshot collect() {
        int[] roundTrips = { 0 };
        return collect(this.discovery.keys(roundTrips), roundTrips);
    }

    /**
     * One stream, found without the keyspace walk: a stream created since the walk passed its place is there at
     * once. Empty when {@code key} is not a stream under the prefix.
     */
    public Optional<StreamSnapshot> collect(String key) {
        if (!SlotKeys.isUnder(this.prefix, key)) {
            return Optional.empty();
        }
        return collect(List.of(key), new int[] { 0 }).streams().stream().findFirst();
    }

    private MonitorSnapshot collect(List<String> keys, int[] roundTrips) {
        List<StreamCalls> streams = new ArrayList<>(keys.size());
        // Redis' own clock, in the same round trip, for the time lag: entry ids are Redis' milliseconds, and a monitor
        // host whose clock is off would show every undelivered entry as that much late.
        RedisFuture<List<String>> redisTime = this.redis.time();
        for (String key : keys) {
            streams.add(new StreamCalls(key, this.redis.xinfoStream(key), this.redis.xinfoGroups(key),
                    this.redis.memoryUsage(key)));
        }
        List<RedisFuture<?>> firstPhase = new ArrayList<>(streams.stream().flatMap(StreamCalls::futures).toList());
        firstPhase.add(redisTime);
        awaitAll(firstPhase);
        roundTrips[0]++;
        List<GroupCalls> groups = new ArrayList<>();
        for (StreamCalls stream : streams) {
            requireAnswered(stream.groups(), "the groups of stream '" + stream.key() + "'");
            for (Object reply : valueOrEmpty(stream.groups())) {
                InfoReply group = InfoReply.of(reply);
                String name = group.text("name");
                String lastDelivered = group.text("last-delivered-id");
                groups.add(new GroupCalls(stream.key(), group, this.redis.xinfoConsumers(stream.key(), name),
                        this.redis.xpending(stream.key(), XPendingArgs.Builder.xpending(name, Range.create("-", "+"), Limit.from(PENDING_SAMPLE))),
                        this.redis.xrange(stream.key(), Range.from(Range.Boundary.excluding(lastDelivered == null ? "0-0" : lastDelivered),
                                Range.Boundary.unbounded()), Limit.from(1)),
                        this.redis.hgetall(ProcessingCounts.key(stream.key(), name))));
            }
        }
        awaitAll(groups.stream().flatMap(GroupCalls::futures).toList());
        if (!groups.isEmpty()) {
            roundTrips[0]++;
        }
        long now = redisMillis(valueOrNull(redisTime));
        List<StreamSnapshot> snapshots = new ArrayList<>(streams.size());
        for (StreamCalls stream : streams) {
            List<Object> info = valueOrNull(stream.info());
            if (info == null) {
                if (!isGone(stream.info())) {
                    // A pass missing a stream would read as one where it vanished: totals dip, alerts resolve.
                    throw new MonitorException("Redis could not describe stream '" + stream.key() + "': "
                            + failureOf(stream.info()), null);
                }
                this.discovery.gone(stream.key());
                continue;
            }
            InfoReply reply = InfoReply.of(info);
            List<GroupSnapshot> groupSnapshots = new ArrayList<>();
            for (GroupCalls group : groups) {
                if (group.key().equals(stream.key())) {
                    requireAnswered(group.consumers(), "the consumers of group '" + group.group().text("name")
                            + "' on stream '" + stream.key() + "'");
                    if (!isGone(group.consumers())) {
                        groupSnapshots.add(group.toSnapshot(now));
                    }
                }
            }
            String name = SlotKeys.name(this.prefix, stream.key());
            snapshots.add(new StreamSnapshot(stream.key(), name, name.endsWith(StreamSnapshot.DEAD_LETTER_SUFFIX), orZero(reply.number("length")),
                    reply.entryId("first-entry"), reply.text("last-generated-id"), reply.number("entries-added"),
                    valueOrNull(stream.memory()), groupSnapshots));
        }
        return new MonitorSnapshot(this.clock.instant(), Collections.unmodifiableList(snapshots), roundTrips[0]);
    }

    /** Redis' {@code TIME} reply ({@code [seconds, microseconds]}) in milliseconds; this host's clock without it. */
    private long redisMillis(List<String> time) {
        if (time == null || time.size() < 2) {
            return this.clock.millis();
        }
        try {
            return Long.parseLong(time.get(0)) * 1000 + Long.parseLong(time.get(1)) / 1000;
        }
        catch (NumberFormatException ex) {
            return this.clock.millis();
        }
    }

    private void awaitAll(List<RedisFuture<?>> futures) {
        long deadline = System.nanoTime() + this.timeout.toNanos();
        for (RedisFuture<?> future : futures) {
            try {
                future.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
            catch (ExecutionException ex) {
                // per-key failures (a key deleted meanwhile, MEMORY not allowed by an ACL) leave that value unknown
            }
            catch (TimeoutException ex) {
                throw new MonitorException("Redis did not answer the monitoring pass within " + this.timeout, ex);
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                throw new MonitorException("Interrupted during the monitoring pass", ex);
            }
        }
    }

    /**
     * Whether a failed {@code XINFO} says what it describes is not there any more: the key deleted or of another type,
     * or the group destroyed, between the pipelined calls of a pass.
     */
    private static boolean isGone(RedisFuture<?> info) {
        String error = failureOf(info);
        return GoneReplies.isGone(error) || error != null && error.startsWith("WRONGTYPE");
    }

    /**
     * Why a call failed: Redis' error reply, or Lettuce's own failure (a command timed out, the connection closed),
     * which {@code getError()} does not report; {@code null} while it has not failed.
     */
    private static String failureOf(RedisFuture<?> call) {
        if (!call.isDone()) {
            return null;
        }
        if (call.getError() != null) {
            return call.getError();
        }
        try {
            call.toCompletableFuture().getNow(null);
            return null;
        }
        catch (CompletionException | CancellationException ex) {
            Throwable cause = ex.getCause() == null ? ex : ex.getCause();
            return String.valueOf(cause.getMessage() == null ? cause : cause.getMessage());
        }
    }

    /**
     * Groups or consumers Redis would not list (an ACL without {@code xinfo|consumers}, say) fail the pass: taken for
     * none, they would show a stream without groups, or a group whose consumers all stopped, and raise alerts.
     */
    private static void requireAnswered(RedisFuture<?> listing, String what) {
        String failure = failureOf(listing);
        if (failure != null && !isGone(listing)) {
            throw new MonitorException("Redis could not list " + what + ": " + failure, null);
        }
    }

    static <T> T valueOrNull(RedisFuture<T> future) {
        if (!future.isDone() || future.toCompletableFuture().isCompletedExceptionally()) {
            return null;
        }
        return future.toCompletableFuture().getNow(null);
    }

    private static List<Object> valueOrEmpty(RedisFuture<List<Object>> future) {
        List<Object> value = valueOrNull(future);
        return value == null ? List.of() : value;
    }

    private static long orZero(Long value) {
        return value == null ? 0 : value;
    }

    private record StreamCalls(String key, RedisFuture<List<Object>> info, RedisFuture<List<Object>> groups,
            RedisFuture<Long> memory) {

        java.util.stream.Stream<RedisFuture<?>> futures() {
            return java.util.stream.Stream.of(this.info, this.groups, this.memory);
        }
    }

    private record GroupCalls(String key, InfoReply group, RedisFuture<List<Object>> consumers,
            RedisFuture<List<PendingMessage>> oldestPending, RedisFuture<List<StreamMessage<String, String>>> nextUndelivered,
            RedisFuture<Map<String, String>> counters) {

        java.util.stream.Stream<RedisFuture<?>> futures() {
            return java.util.stream.Stream.of(this.consumers, this.oldestPending, this.nextUndelivered, this.counters);
        }

        GroupSnapshot toSnapshot(long now) {
            List<ConsumerSnapshot> consumerSnapshots = new ArrayList<>();
            for (Object reply : valueOrEmpty(this.consumers)) {
                InfoReply consumer = InfoReply.of(reply);
                Long inactive = consumer.number("inactive");
                // 7.2+ answers -1 for a consumer that never read anything: unknown, not a time.
                consumerSnapshots.add(new ConsumerSnapshot(consumer.text("name"), orZero(consumer.number("pending")),
                        orZero(consumer.number("idle")), inactive != null && inactive < 0 ? null : inactive));
            }
            List<PendingMessage> pending = valueOrNull(this.oldestPending);
            Long oldestIdle = pending == null || pending.isEmpty() ? null : pending.get(0).getMsSinceLastDelivery();
            long maxDeliveries = pending == null ? 0
                    : pending.stream().mapToLong(PendingMessage::getRedeliveryCount).max().orElse(0);
            Long lag = this.group.number("lag");
            List<StreamMessage<String, String>> next = valueOrNull(this.nextUndelivered);
            Long timeLag = null;
            if (next != null) {
                Long millis = next.isEmpty() ? null : StreamIds.millis(next.get(0).getId());
                timeLag = next.isEmpty() ? 0L : millis == null ? null : Math.max(0, now - millis);
            }
            return new GroupSnapshot(this.group.text("name"), lag, this.group.number("entries-read"),
                    orZero(this.group.number("pending")), this.group.text("last-delivered-id"), oldestIdle, maxDeliveries,
                    timeLag, List.copyOf(consumerSnapshots), counts(valueOrNull(this.counters)),
                    pending == null || pending.isEmpty() ? null : pending.get(0).getId());
        }

        /** {@code null} when the hash could not be read: unknown, never zero (zeros would read as a reset). */
        private static ProcessingCounts counts(Map<String, String> hash) {
            if (hash == null) {
                return null;
            }
            if (hash.isEmpty()) {
                return ProcessingCounts.NONE;
            }
            return new ProcessingCounts(parse(hash.get("processed")), parse(hash.get("failed")),
                    parse(hash.get("deadLettered")), parse(hash.get("claimed")));
        }

        private static long parse(String value) {
            try {
                return value == null ? 0 : Long.parseLong(value);
            }
            catch (NumberFormatException ex) {
                return 0;
            }
        }
    }
}
