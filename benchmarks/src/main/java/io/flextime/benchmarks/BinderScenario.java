package io.flextime.benchmarks;

import java.util.Map;

import org.springframework.cloud.stream.function.StreamBridge;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A Spring Cloud Stream application on a binder: {@code StreamBridge} publishes FlexTime envelopes, and a
 * {@code Consumer<FlexTimeEvent>} bean receives them after JSON conversion. As a pipeline, a
 * {@code Function<FlexTimeEvent, FlexTimeEvent>} sits between, consuming one destination and producing to
 * another. The same code runs on the Redis and the Rabbit binder.
 */
final class BinderScenario implements Scenario {

    private static final String GROUP = "bench";

    private final BenchmarkContext context;

    private final ConfigurableApplicationContext app;

    private final StreamBridge bridge;

    private final BenchmarkApp.TrackerHolder tracker;

    private final int rate;

    private final String destination;

    BinderScenario(BenchmarkContext context, String binder, boolean pipeline, int rate) {
        this.context = context;
        this.rate = rate;
        this.destination = (pipeline ? "bench-pipeline-in-" : "bench-in-") + binder + "-" + (rate > 0 ? "steady" : "max");
        Map<String, String> bindings = pipeline
                ? Map.of("spring.cloud.stream.bindings.relay-in-0.destination", this.destination,
                        "spring.cloud.stream.bindings.relay-in-0.group", GROUP,
                        "spring.cloud.stream.bindings.relay-out-0.destination", this.destination + "-out",
                        "spring.cloud.stream.bindings.sink-in-0.destination", this.destination + "-out",
                        "spring.cloud.stream.bindings.sink-in-0.group", GROUP)
                : Map.of("spring.cloud.stream.bindings.sink-in-0.destination", this.destination,
                        "spring.cloud.stream.bindings.sink-in-0.group", GROUP);
        this.app = BinderApps.start(context, binder, pipeline ? "relay;sink" : "sink", bindings);
        this.bridge = this.app.getBean(StreamBridge.class);
        this.tracker = this.app.getBean(BenchmarkApp.TrackerHolder.class);
    }

    @Override
    public RoundResult round(int events) throws Exception {
        Tracker round = new Tracker(events);
        this.tracker.set(round);
        EventPayloads payloads = this.context.payloads();
        Pacer pacer = new Pacer(this.rate);
        return RoundResult.publishAndAwait(this.context, this.destination, events, round, i -> {
            pacer.awaitTurn(i);
            this.bridge.send(this.destination, payloads.event(i, System.nanoTime()));
        });
    }

    @Override
    public void close() {
        this.app.close();
    }
}
