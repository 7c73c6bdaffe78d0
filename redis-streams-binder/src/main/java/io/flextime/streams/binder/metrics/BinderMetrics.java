package io.flextime.streams.binder.metrics;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisFuture;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.scheduling.concurrent.CustomizableThreadFactory;

import io.flextime.streams.binder.connection.RedisStreamsConnector;
import io.flextime.streams.binder.connection.StreamConnection;
import io.flextime.streams.binder.provisioning.RedisStreamProvisioner;
import io.flextime.streams.monitor.GoneReplies;
import io.flextime.streams.monitor.ProcessingCounts;

import static java.nio.charset.StandardCharsets.UTF_8;

/**
 * What the binder counts, in two places:
 * <ul>
 *   <li>in Redis, so any monitor can compute error rates without being inside the application: per stream key
 *   and group, the hash {@code <stream>.<group>.counters} with {@code processed}, {@code failed},
 *   {@code deadLettered} and {@code claimed}, incremented in one pipelined batch at most once a second;</li>
 *   <li>as Micrometer meters: {@code redis.streams.published}, {@code .consumed}, {@code .failed},
 *   {@code .dead.lettered}, {@code .claimed}, the {@code redis.streams.handler} timer, and gauges
 *   {@code redis.streams.length}, {@code .lag} and {@code .pending} for every bound stream and group, refreshed
 *   in the background (like the Kafka binder's lag gauge, reading a gauge never calls Redis).</li>
 * </ul>
 */
public class BinderMetrics implements AutoCloseable {

    private static final Log logger = LogFactory.getLog(BinderMetrics.class);

    private final RedisStreamsConnector connector;

    private final MeterRegistry registry;

    /** Stream key, then group. */
    private final Map<String, Map<String, GroupCounts>> pendingFlush = new ConcurrentHashMap<>();

    private final Map<String, Counter> publishedCounters = new ConcurrentHashMap<>();

    /** Stream key, then its gauges: one length, and lag and pending per watched group. */
    private final Map<String, StreamGauges> gauges = new ConcurrentHashMap<>();

    /** Throw-away groups whose meters were dropped (see {@link #forget}); their names are never used again. */
    private final Set<String> forgotten = ConcurrentHashMap.newKeySet();

    /** Where the counts of a forgotten group go when a handler that outlived its binding reports late. */
    private final GroupCounts discarded = new GroupCounts("", "", new SimpleMeterRegistry());

    private final ScheduledExecutorService scheduler;

    public BinderMetrics(RedisStreamsConnector connector, MeterRegistry registry, Duration flushInterval,
            Duration gaugeInterval) {
        this.connector = connector;
        this.registry = registry != null ? registry : new SimpleMeterRegistry();
        this.scheduler = Executors.newSingleThreadScheduledExecutor(new CustomizableThreadFactory("redis-streams-metrics-"));
        this.scheduler.scheduleWithFixedDelay(this::flushQuietly, flushInterval.toMillis(), flushInterval.toMillis(),
                TimeUnit.MILLISECONDS);
        this.scheduler.scheduleWithFixedDelay(this::refreshGaugesQuietly, gaugeInterval.toMillis(),
                gaugeInterval.toMillis(), TimeUnit.MILLISECONDS);
    }

    public void published(String stream) {
        this.publishedCounters.computeIfAbsent(stream, key -> Counter.builder("redis.streams.published").tag("stream", key)
                .register(this.registry)).increment();
    }

    public void processed(String stream, String group, long handlerNanos) {
        GroupCounts counts = counts(stream, group);
        counts.processed.increment();
        counts.consumed.increment();
        counts.handler.record(handlerNanos, TimeUnit.NANOSECONDS);
    }

    public void failed(String stream, String group) {
        GroupCounts counts = counts(stream, group);
        counts.failed.increment();
        counts.failedMeter.increment();
    }

    public void deadLettered(String stream, String group) {
        GroupCounts counts = counts(stream, group);
        counts.deadLettered.increment();
        counts.deadLetteredMeter.increment();
    }

    public void claimed(String stream, String group, int count) {
        GroupCounts counts = counts(stream, group);
        counts.claimed.add(count);
        counts.claimedMeter.increment(count);
    }

    /** Registers the length, lag and pending gauges of a bound stream and group; one length gauge per stream. */
    public void watch(String stream, String group) {
        this.gauges.computeIfAbsent(stream, key -> new StreamGauges(key, this.registry)).watch(group, this.registry);
    }

    /**
     * Drops the meters of a throw-away group once its binding is gone: each anonymous consumer binds a group of
     * its own, so without this every bind (a restart, a pause by unbinding) would leave five meters behind.
     */
    public void forget(String stream, String group) {
        this.forgotten.add(stream + '\u0000' + group);
        Map<String, GroupCounts> groups = this.pendingFlush.get(stream);
        GroupCounts counts = groups == null ? null : groups.remove(group);
        if (counts != null) {
            List.of(counts.consumed, counts.handler, counts.failedMeter, counts.deadLetteredMeter, counts.claimedMeter)
                    .forEach(this.registry::remove);
        }
    }

    public MeterRegistry registry() {
        return this.registry;
    }

    /**
     * Writes the counts gathered since the last flush; called every flush interval and on close. Synchronized:
     * a flush (or close) that finds another one under way waits for it, so when it returns every count taken
     * before the call is in Redis.
     */
    public synchronized void flush() {
        if (this.pendingFlush.isEmpty()) {
            return;
        }
        StreamConnection connection = this.connector.shared();
        List<RedisFuture<Long>> replies = new java.util.ArrayList<>();
        for (GroupCounts counts : allCounts()) {
            if (counts.group.startsWith(RedisStreamProvisioner.ANONYMOUS_GROUP_PREFIX)) {
                // A throw-away group is destroyed on unbind; a counters hash for it would outlive it forever.
                continue;
            }
            byte[] key = ProcessingCounts.key(counts.stream, counts.group).getBytes(UTF_8);
            increment(connection, key, "processed", counts.processed.sumThenReset(), replies);
            increment(connection, key, "failed", counts.failed.sumThenReset(), replies);
            increment(connection, key, "deadLettered", counts.deadLettered.sumThenReset(), replies);
            increment(connection, key, "claimed", counts.claimed.sumThenReset(), replies);
        }
        replies.forEach(connection::await);
    }

    private static void increment(StreamConnection connection, byte[] key, String field, long delta,
            List<RedisFuture<Long>> replies) {
        if (delta != 0) {
            replies.add(connection.async().hincrby(key, field.getBytes(UTF_8), delta));
        }
    }

    /** {@link #flush()}, a failure only logged: for the periodic flush and for shutdown. */
    public void flushQuietly() {
        try {
            flush();
        }
        catch (RuntimeException ex) {
            // counts are lost only for this flush interval's worth; the meters still have them
            logger.debug("Could not write binder counters to Redis: " + ex.getMessage());
        }
    }

    private void refreshGaugesQuietly() {
        for (StreamGauges stream : this.gauges.values()) {
            try {
                stream.refresh(this.connector.shared());
            }
            catch (RuntimeException ex) {
                logger.debug("Could not refresh gauges of " + stream.stream + ": " + ex.getMessage());
            }
        }
    }

    private List<GroupCounts> allCounts() {
        return this.pendingFlush.values().stream().flatMap(groups -> groups.values().stream()).toList();
    }

    /**
     * Per message: two map lookups, no key built, no meter looked up in the registry. A forgotten group's late
     * report (a handler that outlived its binding's stop) is counted aside, so its five meters do not come back.
     */
    private GroupCounts counts(String stream, String group) {
        Map<String, GroupCounts> groups = this.pendingFlush.computeIfAbsent(stream, ignored -> new ConcurrentHashMap<>());
        GroupCounts counts = groups.get(group);
        if (counts != null) {
            return counts;
        }
        if (this.forgotten.contains(stream + '\u0000' + group)) {
            return this.discarded;
        }
        return groups.computeIfAbsent(group, ignored -> new GroupCounts(stream, group, this.registry));
    }

    @Override
    public void close() {
        this.scheduler.shutdownNow();
        flushQuietly();
    }

    private static final class GroupCounts {

        private final String stream;

        private final String group;

        private final LongAdder processed = new LongAdder();

        private final LongAdder failed = new LongAdder();

        private final LongAdder deadLettered = new LongAdder();

        private final LongAdder claimed = new LongAdder();

        private final Counter consumed;

        private final Timer handler;

        private final Counter failedMeter;

        private final Counter deadLetteredMeter;

        private final Counter claimedMeter;

        GroupCounts(String stream, String group, MeterRegistry registry) {
            this.stream = stream;
            this.group = group;
            this.consumed = Counter.builder("redis.streams.consumed").tags("stream", stream, "group", group).register(registry);
            this.handler = Timer.builder("redis.streams.handler").tags("stream", stream, "group", group).register(registry);
            this.failedMeter = Counter.builder("redis.streams.failed").tags("stream", stream, "group", group)
                    .register(registry);
            this.deadLetteredMeter = Counter.builder("redis.streams.dead.lettered").tags("stream", stream, "group", group)
                    .register(registry);
            this.claimedMeter = Counter.builder("redis.streams.claimed").tags("stream", stream, "group", group)
                    .register(registry);
        }
    }

    /** A bound stream's gauge values, refreshed with one {@code XLEN} and one {@code XINFO GROUPS} for all its groups. */
    private static final class StreamGauges {

        private final String stream;

        private final AtomicLong length = new AtomicLong();

        private final Map<String, GroupGauges> groups = new ConcurrentHashMap<>();

        StreamGauges(String stream, MeterRegistry registry) {
            this.stream = stream;
            Gauge.builder("redis.streams.length", this.length, AtomicLong::get).tag("stream", stream).register(registry);
        }

        void watch(String group, MeterRegistry registry) {
            this.groups.computeIfAbsent(group, name -> {
                GroupGauges values = new GroupGauges(new AtomicLong(-1), new AtomicLong());
                Gauge.builder("redis.streams.lag", values.lag(), AtomicLong::get).tags("stream", this.stream, "group", name)
                        .description("Entries not yet delivered to the group; -1 while Redis cannot tell").register(registry);
                Gauge.builder("redis.streams.pending", values.pending(), AtomicLong::get).tags("stream", this.stream, "group", name)
                        .register(registry);
                return values;
            });
        }

        /**
         * A group or stream that is gone (deleted through the API, {@code XGROUP DESTROY}, {@code DEL}) reads as
         * no pending entries and an unknown lag, not as the last figures seen before it went. A refresh that fails
         * for any other reason (Redis unreachable) keeps the last figures.
         */
        void refresh(StreamConnection connection) {
            byte[] key = this.stream.getBytes(UTF_8);
            this.length.set(connection.await(connection.async().xlen(key)));
            List<Object> replies;
            try {
                replies = connection.await(connection.async().xinfoGroups(key));
            }
            catch (RedisCommandExecutionException ex) {
                if (!GoneReplies.isNoSuchKey(ex.getMessage())) {
                    throw ex;
                }
                replies = List.of();
            }
            Set<String> seen = new java.util.HashSet<>();
            for (Object reply : replies) {
                List<?> info = (List<?>) reply;
                Map<String, Object> fields = new java.util.HashMap<>();
                for (int i = 0; i + 1 < info.size(); i += 2) {
                    Object value = info.get(i + 1);
                    fields.put(new String((byte[]) info.get(i), UTF_8), value instanceof byte[] bytes ? new String(bytes, UTF_8) : value);
                }
                GroupGauges group = this.groups.get(String.valueOf(fields.get("name")));
                if (group != null) {
                    seen.add(String.valueOf(fields.get("name")));
                    group.lag().set(fields.get("lag") instanceof Number lagValue ? lagValue.longValue() : -1);
                    group.pending().set(fields.get("pending") instanceof Number pendingValue ? pendingValue.longValue() : 0);
                }
            }
            this.groups.forEach((name, group) -> {
                if (!seen.contains(name)) {
                    group.lag().set(-1);
                    group.pending().set(0);
                }
            });
        }
    }

    private record GroupGauges(AtomicLong lag, AtomicLong pending) {
    }
}
