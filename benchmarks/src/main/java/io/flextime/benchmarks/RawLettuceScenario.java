package io.flextime.benchmarks;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import io.lettuce.core.Consumer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XGroupCreateArgs;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.api.StatefulRedisConnection;

import io.flextime.events.envelope.FlexTimeEvent;

/**
 * The limit: raw Lettuce with nothing in between. The producer pipelines {@code XADD}s (flushing every
 * {@code count}), readers loop on {@code XREADGROUP COUNT n} and acknowledge in batches without waiting for
 * each reply. Entries carry the envelope JSON plus the sequence number and send time as separate fields, so the
 * limit pays no JSON parsing. With {@code parse}, the readers parse every envelope into a {@code FlexTimeEvent}
 * and read the figures from it, as a hand-written consumer with the binder scenarios' handler would.
 */
final class RawLettuceScenario implements Scenario {

    private static final String GROUP = "bench";

    private final BenchmarkContext context;

    private final RedisClient client;

    private final int rate;

    private final boolean parse;

    private int round;

    RawLettuceScenario(BenchmarkContext context, int rate, boolean parse) {
        this.context = context;
        this.rate = rate;
        this.parse = parse;
        this.client = RedisClient.create(context.redisUri());
    }

    @Override
    public RoundResult round(int events) throws Exception {
        String key = this.context.key("raw-" + this.round++);
        try (StatefulRedisConnection<String, String> admin = this.client.connect()) {
            admin.sync().xgroupCreate(XReadArgs.StreamOffset.from(key, "0"), GROUP, XGroupCreateArgs.Builder.mkstream());
            Tracker tracker = new Tracker(events);
            AtomicBoolean done = new AtomicBoolean();
            List<Thread> readers = new ArrayList<>();
            try (ResourceSampler resources = ResourceSampler.afterFullCollection()) {
                long start = System.nanoTime();
                for (int i = 0; i < this.context.options().concurrency(); i++) {
                    String name = "reader-" + i;
                    Thread reader = new Thread(() -> read(key, name, tracker, done), "raw-" + name);
                    readers.add(reader);
                    reader.start();
                }
                produce(key, tracker.round(), events);
                boolean complete = tracker.awaitAll(this.context.roundTimeout(events));
                long elapsed = System.nanoTime() - start;
                resources.close();
                done.set(true);
                for (Thread reader : readers) {
                    reader.join();
                }
                if (!complete) {
                    System.out.println("  raw round timed out with " + tracker.lost() + " events missing");
                }
                return RoundResult.of(events, elapsed, tracker, resources);
            }
            finally {
                admin.sync().del(key);
            }
        }
    }

    private void produce(String key, int round, int events) {
        EventPayloads payloads = this.context.payloads();
        Pacer pacer = new Pacer(this.rate);
        int batch = Math.max(1, this.context.options().count());
        try (StatefulRedisConnection<String, String> connection = this.client.connect()) {
            connection.setAutoFlushCommands(this.rate > 0);
            RedisFuture<String> previousBatch = null;
            RedisFuture<String> last = null;
            for (int i = 0; i < events; i++) {
                long sent = pacer.awaitTurn(i);
                String json = new String(payloads.json(payloads.event(round, i, sent)), java.nio.charset.StandardCharsets.UTF_8);
                last = connection.async().xadd(key, Map.of("round", Integer.toString(round), "seq", Integer.toString(i),
                        "sent", Long.toString(sent), "payload", json));
                if (this.rate <= 0 && (i + 1) % batch == 0) {
                    connection.flushCommands();
                    // One batch in flight while the next is built: bounded memory, the socket never idle.
                    if (previousBatch != null) {
                        previousBatch.toCompletableFuture().join();
                    }
                    previousBatch = last;
                }
            }
            connection.flushCommands();
            if (last != null) {
                last.toCompletableFuture().join();
            }
        }
    }

    private void read(String key, String name, Tracker tracker, AtomicBoolean done) {
        int ackBatch = this.context.options().ackBatch();
        try (StatefulRedisConnection<String, String> connection = this.client.connect()) {
            List<String> toAck = new ArrayList<>(ackBatch);
            RedisFuture<Long> lastAck = null;
            while (!done.get()) {
                List<StreamMessage<String, String>> entries = connection.sync().xreadgroup(Consumer.from(GROUP, name),
                        XReadArgs.Builder.count(this.context.options().count()).block(Duration.ofMillis(100)),
                        XReadArgs.StreamOffset.lastConsumed(key));
                for (StreamMessage<String, String> entry : entries) {
                    record(tracker, entry.getBody());
                    toAck.add(entry.getId());
                    if (toAck.size() >= ackBatch) {
                        lastAck = connection.async().xack(key, GROUP, toAck.toArray(String[]::new));
                        toAck.clear();
                    }
                }
                if (!toAck.isEmpty() && entries.size() < this.context.options().count()) {
                    lastAck = connection.async().xack(key, GROUP, toAck.toArray(String[]::new));
                    toAck.clear();
                }
            }
            if (!toAck.isEmpty()) {
                lastAck = connection.async().xack(key, GROUP, toAck.toArray(String[]::new));
            }
            if (lastAck != null) {
                lastAck.toCompletableFuture().join();
            }
        }
    }

    private void record(Tracker tracker, Map<String, String> fields) {
        if (this.parse) {
            FlexTimeEvent event = this.context.payloads().parse(fields.get("payload"));
            tracker.record(EventPayloads.round(event), EventPayloads.sequence(event), EventPayloads.sentNanos(event));
        }
        else {
            tracker.record(Long.parseLong(fields.get("round")), Long.parseLong(fields.get("seq")),
                    Long.parseLong(fields.get("sent")));
        }
    }

    @Override
    public void close() {
        this.client.shutdown();
    }
}
