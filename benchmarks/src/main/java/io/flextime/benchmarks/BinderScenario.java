package io.flextime.benchmarks;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.cloud.stream.function.StreamBridge;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.Lifecycle;

import io.flextime.events.envelope.FlexTimeEvent;

/**
 * A Spring Cloud Stream application on a binder: FlexTime envelopes are published by {@code StreamBridge} (or
 * by a polled {@code Supplier<FlexTimeEvent>} bean), and a {@code Consumer<FlexTimeEvent>} bean receives them
 * after JSON conversion. As a pipeline, a {@code Function<FlexTimeEvent, FlexTimeEvent>} sits between,
 * consuming one destination and producing to another. In batch mode a {@code Consumer<List<FlexTimeEvent>>}
 * receives each read batch as one list. The same code runs on the Redis and the Rabbit binder.
 */
final class BinderScenario implements Scenario {

    enum Mode {
        STREAM_BRIDGE, SUPPLIER, PIPELINE, BATCH
    }

    /** How the application is set up beyond its functions. */
    enum Variant {
        /** As an application tuned for throughput: Actuator's per-message observations off. */
        PLAIN,
        /** With Actuator's per-message function and channel observations on (see {@link BinderApps#start}). */
        OBSERVED,
        /**
         * The binder writes and reads the JSON itself: {@code use-native-encoding} / {@code use-native-decoding}
         * with the Redis binder's {@code payload-type}, so the framework's message conversion is skipped.
         */
        NATIVE,
        /** A replica is attached ({@link Replica}), but sends do not wait for it: the baseline of {@link #REPLICATED}. */
        REPLICA_ATTACHED,
        /** A replica is attached and every send waits for it to confirm ({@code wait-replicas: 1}). */
        REPLICATED
    }

    private static final String GROUP = "bench";

    private final BenchmarkContext context;

    private final ConfigurableApplicationContext app;

    private final StreamBridge bridge;

    private final BenchmarkApp.TrackerHolder tracker;

    private final int rate;

    private final String destination;

    private final Mode mode;

    /**
     * The {@code Supplier}'s poller (Spring Cloud Stream names it {@code <binding>_spca}), or null. It runs only
     * during the scenario's own rounds: polling its empty feed every millisecond while the other scenarios take
     * their turns would charge them for it.
     */
    private final Lifecycle poller;

    BinderScenario(BenchmarkContext context, String binder, Mode mode, int rate) {
        this(context, binder, mode, rate, Variant.PLAIN);
    }

    BinderScenario(BenchmarkContext context, String binder, Mode mode, int rate, Variant variant) {
        this.context = context;
        this.rate = rate;
        this.mode = mode;
        this.destination = "bench-" + mode.name().toLowerCase(java.util.Locale.ROOT) + "-" + binder + "-"
                + (rate > 0 ? "steady" : "max") + (variant == Variant.PLAIN ? "" : "-" + variant.name().toLowerCase(Locale.ROOT));
        Map<String, String> bindings = new LinkedHashMap<>(switch (mode) {
            case PIPELINE -> Map.of("spring.cloud.stream.bindings.relay-in-0.destination", this.destination,
                        "spring.cloud.stream.bindings.relay-in-0.group", GROUP,
                        "spring.cloud.stream.bindings.relay-out-0.destination", this.destination + "-out",
                        "spring.cloud.stream.bindings.sink-in-0.destination", this.destination + "-out",
                        "spring.cloud.stream.bindings.sink-in-0.group", GROUP);
            // The poller as a user would tune it for throughput: a batch per poll, no pause between polls.
            case SUPPLIER -> Map.of("spring.cloud.stream.bindings.source-out-0.destination", this.destination,
                    "spring.cloud.stream.bindings.source-out-0.producer.poller.fixed-delay", "1",
                    "spring.cloud.stream.bindings.source-out-0.producer.poller.max-messages-per-poll",
                    Integer.toString(context.options().count()),
                    "spring.cloud.stream.bindings.sink-in-0.destination", this.destination,
                    "spring.cloud.stream.bindings.sink-in-0.group", GROUP);
            case STREAM_BRIDGE -> Map.of("spring.cloud.stream.bindings.sink-in-0.destination", this.destination,
                    "spring.cloud.stream.bindings.sink-in-0.group", GROUP);
            // Each read batch (up to COUNT entries) reaches the handler as one list: the framework's per-message
            // work on the consuming side (header copies, type checks, conversion lookup) is paid once per batch.
            case BATCH -> Map.of("spring.cloud.stream.bindings.batchSink-in-0.destination", this.destination,
                    "spring.cloud.stream.bindings.batchSink-in-0.group", GROUP,
                    "spring.cloud.stream.bindings.batchSink-in-0.consumer.batch-mode", "true");
        });
        if (variant == Variant.NATIVE) {
            bindings.put("spring.cloud.stream.default.producer.use-native-encoding", "true");
            bindings.put("spring.cloud.stream.default.consumer.use-native-decoding", "true");
            bindings.put("spring.cloud.stream.redis.default.consumer.payload-type", FlexTimeEvent.class.getName());
        }
        if (variant == Variant.REPLICATED) {
            bindings.put("spring.cloud.stream.redis.default.producer.wait-replicas", "1");
            bindings.put("spring.cloud.stream.redis.default.producer.wait-timeout", "5s");
        }
        this.app = BinderApps.start(context, binder, switch (mode) {
            case PIPELINE -> "relay;sink";
            case SUPPLIER -> "source;sink";
            case STREAM_BRIDGE -> "sink";
            case BATCH -> "batchSink";
        }, bindings, variant == Variant.OBSERVED);
        this.bridge = this.app.getBean(StreamBridge.class);
        this.tracker = this.app.getBean(BenchmarkApp.TrackerHolder.class);
        this.poller = mode == Mode.SUPPLIER ? this.app.getBean("source-out-0_spca", Lifecycle.class) : null;
        if (this.poller != null) {
            this.poller.stop();
        }
    }

    @Override
    public RoundResult round(int events) throws Exception {
        Tracker round = new Tracker(events);
        this.tracker.set(round);
        EventPayloads payloads = this.context.payloads();
        if (this.mode == Mode.SUPPLIER) {
            // The framework's poller publishes; the round is timed from the moment the feed opens.
            BenchmarkApp.SupplierFeed feed = this.app.getBean(BenchmarkApp.SupplierFeed.class);
            try {
                return RoundResult.publishAndAwait(this.context, this.destination, events, round, i -> {
                    if (i == 0) {
                        feed.start(payloads, round.round(), events);
                        this.poller.start();
                    }
                });
            }
            finally {
                this.poller.stop();
            }
        }
        Pacer pacer = new Pacer(this.rate);
        return RoundResult.publishAndAwait(this.context, this.destination, events, round,
                i -> this.bridge.send(this.destination, payloads.event(round.round(), i, pacer.awaitTurn(i))));
    }

    /** Whether the {@code Supplier}'s poller is running (only ever during a round of the scenario's own). */
    boolean polling() {
        return this.poller != null && this.poller.isRunning();
    }

    /** The application's meters: where Actuator's observations, when on, leave their timers. */
    MeterRegistry meters() {
        return this.app.getBean(MeterRegistry.class);
    }

    @Override
    public void close() {
        this.app.close();
    }
}
