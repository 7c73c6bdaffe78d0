package io.flextime.streams.binder;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import brave.Tracing;
import brave.handler.MutableSpan;
import brave.handler.SpanHandler;
import brave.propagation.ThreadLocalCurrentTraceContext;
import brave.propagation.TraceContext;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.brave.bridge.BraveBaggageManager;
import io.micrometer.tracing.brave.bridge.BraveCurrentTraceContext;
import io.micrometer.tracing.brave.bridge.BravePropagator;
import io.micrometer.tracing.brave.bridge.BraveTracer;
import io.micrometer.tracing.brave.bridge.W3CPropagation;
import io.micrometer.tracing.handler.DefaultTracingObservationHandler;
import io.micrometer.tracing.handler.PropagatingReceiverTracingObservationHandler;
import io.micrometer.tracing.handler.PropagatingSenderTracingObservationHandler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.cloud.stream.binder.Binding;
import org.springframework.integration.channel.DirectChannel;
import org.springframework.messaging.Message;
import org.springframework.messaging.MessageChannel;
import org.springframework.messaging.support.MessageBuilder;

import io.flextime.streams.testing.RedisServerExtension;

import static io.flextime.streams.binder.RedisBinderTestSupport.consumerProperties;
import static io.flextime.streams.binder.RedisBinderTestSupport.producerProperties;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The trace crosses the stream: the producer writes W3C traceparent into the entry and the consumer continues it. */
class TracePropagationTests {

    @RegisterExtension
    static final RedisServerExtension redis = new RedisServerExtension();

    private final List<MutableSpan> spans = new CopyOnWriteArrayList<>();

    private Tracing tracing;

    private RedisTestBinder binder;

    @BeforeEach
    void tracedBinder() {
        this.tracing = Tracing.newBuilder()
                .currentTraceContext(ThreadLocalCurrentTraceContext.create())
                .propagationFactory(new W3CPropagation(new BraveBaggageManager(), List.of()))
                .addSpanHandler(new SpanHandler() {
                    @Override
                    public boolean end(TraceContext context, MutableSpan span, Cause cause) {
                        TracePropagationTests.this.spans.add(span);
                        return true;
                    }
                })
                .build();
        BraveTracer tracer = new BraveTracer(this.tracing.tracer(),
                new BraveCurrentTraceContext(this.tracing.currentTraceContext()), new BraveBaggageManager());
        BravePropagator propagator = new BravePropagator(this.tracing);
        ObservationRegistry observations = ObservationRegistry.create();
        observations.observationConfig().observationHandler(new ObservationHandler.FirstMatchingCompositeObservationHandler(
                new PropagatingSenderTracingObservationHandler<>(tracer, propagator),
                new PropagatingReceiverTracingObservationHandler<>(tracer, propagator),
                new DefaultTracingObservationHandler(tracer)));
        this.binder = new RedisTestBinder(redis.server(), "traced-" + UUID.randomUUID() + ":");
        this.binder.getBinder().setObservations(observations);
    }

    @AfterEach
    void close() {
        this.binder.close();
        this.tracing.close();
    }

    @Test
    void producerAndConsumerSpansShareATraceIdThroughTheEntry() {
        DirectChannel output = new DirectChannel();
        Binding<MessageChannel> producer = this.binder.bindProducer("traced", output, producerProperties());
        List<Message<?>> received = new CopyOnWriteArrayList<>();
        Binding<MessageChannel> consumer = new RedisBinderTestSupport(this.binder).bindConsumer("traced", "g",
                received::add, consumerProperties());

        output.send(MessageBuilder.withPayload("hello".getBytes(UTF_8)).build());

        await().atMost(Duration.ofSeconds(20)).until(() -> received.size() == 1 && this.spans.size() >= 2);
        Map<String, String> entry = new RedisBinderTestSupport(this.binder).entries(this.binder.key("traced")).get(0);
        assertThat(entry.get("traceparent")).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]");
        MutableSpan producerSpan = this.spans.stream().filter(span -> span.kind() == brave.Span.Kind.PRODUCER).findFirst().orElseThrow();
        MutableSpan consumerSpan = this.spans.stream().filter(span -> span.kind() == brave.Span.Kind.CONSUMER).findFirst().orElseThrow();
        assertThat(consumerSpan.traceId()).isEqualTo(producerSpan.traceId());
        assertThat(entry.get("traceparent")).contains(producerSpan.traceId());
        producer.unbind();
        consumer.unbind();
    }
}
