package io.flextime.benchmarks;

import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Map;

import io.lettuce.core.Consumer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XGroupCreateArgs;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;

import org.springframework.context.ConfigurableApplicationContext;

import static java.nio.charset.StandardCharsets.UTF_8;

/**
 * A binder consumer starting in front of work already in Redis, timed from its start until the last event is
 * handled. Either a backlog never delivered (fresh reads; the heap must stay flat however long it is), or
 * entries a killed consumer read and never acknowledged (the recovery path: they are claimed after
 * {@code claim-min-idle}, here 1 s, which the figure includes).
 */
final class BacklogScenario implements Scenario {

    private static final String GROUP = "bench";

    private final BenchmarkContext context;

    private final boolean abandoned;

    private int round;

    private String heapBefore = "";

    BacklogScenario(BenchmarkContext context, boolean abandoned) {
        this.context = context;
        this.abandoned = abandoned;
    }

    @Override
    public RoundResult round(int events) throws Exception {
        String destination = (this.abandoned ? "bench-abandoned-" : "bench-backlog-") + this.round++;
        byte[] key = this.context.key(destination).getBytes(UTF_8);
        RedisClient client = RedisClient.create(this.context.redisUri());
        try (StatefulRedisConnection<byte[], byte[]> connection = client.connect(ByteArrayCodec.INSTANCE)) {
            connection.sync().xgroupCreate(XReadArgs.StreamOffset.from(key, "0"), GROUP.getBytes(UTF_8),
                    XGroupCreateArgs.Builder.mkstream());
            Tracker tracker = new Tracker(events);
            fill(connection, key, tracker.round(), events);
            if (this.abandoned) {
                readWithoutAcknowledging(connection, key);
            }
            try (ResourceSampler resources = ResourceSampler.afterFullCollection()) {
                this.heapBefore = String.format("heap before %.0f MB", used() / 1048576.0);
                long start = System.nanoTime();
                try (ConfigurableApplicationContext app = BinderApps.start(this.context, "redis", "sink", Map.of(
                        "spring.cloud.stream.bindings.sink-in-0.destination", destination,
                        "spring.cloud.stream.bindings.sink-in-0.group", GROUP,
                        "spring.cloud.stream.redis.bindings.sink-in-0.consumer.claim-min-idle", "1s",
                        "spring.cloud.stream.redis.bindings.sink-in-0.consumer.claim-interval", "200ms",
                        "spring.cloud.stream.redis.bindings.sink-in-0.consumer.consumer-name", "survivor"), tracker)) {
                    if (!tracker.awaitAll(this.context.roundTimeout(events))) {
                        System.out.println("  " + destination + " timed out with " + tracker.lost() + " events missing");
                    }
                    return RoundResult.of(events, System.nanoTime() - start, tracker, resources);
                }
            }
            finally {
                connection.sync().del(key);
            }
        }
        finally {
            client.shutdown();
        }
    }

    /** What the note column shows: the heap after a GC just before the consumer started. */
    String heapBefore() {
        return this.heapBefore;
    }

    private void fill(StatefulRedisConnection<byte[], byte[]> connection, byte[] key, int round, int events) {
        EventPayloads payloads = this.context.payloads();
        byte[] field = "payload".getBytes(UTF_8);
        connection.setAutoFlushCommands(false);
        RedisFuture<String> last = null;
        for (int i = 0; i < events; i++) {
            last = connection.async().xadd(key, Map.of(field, payloads.json(payloads.event(round, i, System.nanoTime()))));
            if ((i + 1) % 1000 == 0) {
                connection.flushCommands();
                last.toCompletableFuture().join();
            }
        }
        connection.flushCommands();
        connection.setAutoFlushCommands(true);
        if (last != null) {
            last.toCompletableFuture().join();
        }
    }

    /** The killed consumer: it read everything and died before acknowledging any of it. */
    private static void readWithoutAcknowledging(StatefulRedisConnection<byte[], byte[]> connection, byte[] key) {
        List<StreamMessage<byte[], byte[]>> read;
        do {
            read = connection.sync().xreadgroup(Consumer.from(GROUP.getBytes(UTF_8), "killed".getBytes(UTF_8)),
                    XReadArgs.Builder.count(10_000), XReadArgs.StreamOffset.lastConsumed(key));
        }
        while (!read.isEmpty());
    }

    private static long used() {
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    @Override
    public void close() {
    }
}
