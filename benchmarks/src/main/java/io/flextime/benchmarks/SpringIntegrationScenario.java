package io.flextime.benchmarks;

import java.net.URI;
import java.time.Duration;

import tools.jackson.databind.json.JsonMapper;

import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.connection.stream.ReadOffset;
import org.springframework.integration.StaticMessageHeaderAccessor;
import org.springframework.integration.channel.DirectChannel;
import org.springframework.integration.config.EnableIntegration;
import org.springframework.integration.handler.ReactiveMessageHandlerAdapter;
import org.springframework.integration.redis.inbound.ReactiveRedisStreamMessageProducer;
import org.springframework.integration.redis.outbound.ReactiveRedisStreamMessageHandler;
import org.springframework.messaging.MessageChannel;
import org.springframework.messaging.support.GenericMessage;

import io.flextime.events.envelope.FlexTimeEvent;

/**
 * The peer: what a Spring user wires today without a binder. Spring Integration's
 * {@code ReactiveRedisStreamMessageHandler} behind a channel publishes the envelope as JSON text;
 * {@code ReactiveRedisStreamMessageProducer} reads it in a consumer group with manual acknowledgement
 * (at-least-once, like the binder), and the handler converts it with Jackson, records it and acknowledges.
 */
final class SpringIntegrationScenario implements Scenario {

    private final BenchmarkContext context;

    private final AnnotationConfigApplicationContext app;

    private final MessageChannel toRedis;

    private final PeerConfiguration peer;

    SpringIntegrationScenario(BenchmarkContext context) {
        this.context = context;
        this.app = new AnnotationConfigApplicationContext();
        this.app.registerBean(BenchmarkContext.class, () -> context);
        this.app.register(PeerConfiguration.class);
        this.app.refresh();
        this.toRedis = this.app.getBean("toRedis", MessageChannel.class);
        this.peer = this.app.getBean(PeerConfiguration.class);
    }

    @Override
    public RoundResult round(int events) throws Exception {
        Tracker tracker = new Tracker(events);
        this.peer.tracker = tracker;
        EventPayloads payloads = this.context.payloads();
        return RoundResult.publishAndAwait(this.context, "spring-integration", events, tracker,
                i -> this.toRedis.send(new GenericMessage<>(new String(payloads.json(payloads.event(tracker.round(), i,
                        System.nanoTime())),
                        java.nio.charset.StandardCharsets.UTF_8))));
    }

    @Override
    public void close() {
        this.app.close();
    }

    @Configuration(proxyBeanMethods = false)
    @EnableIntegration
    static class PeerConfiguration {

        private final JsonMapper json = JsonMapper.builder().build();

        private volatile Tracker tracker = new Tracker(0);

        @Bean(destroyMethod = "destroy")
        LettuceConnectionFactory peerConnectionFactory(BenchmarkContext context) {
            URI uri = URI.create(context.redisUri());
            LettuceConnectionFactory factory = new LettuceConnectionFactory(new RedisStandaloneConfiguration(uri.getHost(),
                    uri.getPort()));
            factory.afterPropertiesSet();
            return factory;
        }

        @Bean
        ReactiveRedisStreamMessageHandler peerOutbound(LettuceConnectionFactory factory, BenchmarkContext context) {
            ReactiveRedisStreamMessageHandler handler = new ReactiveRedisStreamMessageHandler(factory,
                    context.key("bench-peer"));
            handler.setExtractPayload(true);
            return handler;
        }

        @Bean
        DirectChannel toRedis(ReactiveRedisStreamMessageHandler peerOutbound) {
            DirectChannel channel = new DirectChannel();
            channel.subscribe(new ReactiveMessageHandlerAdapter(peerOutbound));
            return channel;
        }

        @Bean
        DirectChannel fromRedis() {
            DirectChannel channel = new DirectChannel();
            channel.subscribe(message -> {
                // The outbound adapter writes the text under one field; the inbound one hands back the field map.
                String text = (String) ((java.util.Map<?, ?>) message.getPayload()).get("payload");
                FlexTimeEvent event = this.json.readValue(text, FlexTimeEvent.class);
                this.tracker.record(EventPayloads.round(event), EventPayloads.sequence(event), EventPayloads.sentNanos(event));
                StaticMessageHeaderAccessor.getAcknowledgment(message).acknowledge();
            });
            return channel;
        }

        @Bean
        ReactiveRedisStreamMessageProducer peerInbound(LettuceConnectionFactory factory, BenchmarkContext context,
                DirectChannel fromRedis) {
            ReactiveRedisStreamMessageProducer producer = new ReactiveRedisStreamMessageProducer(factory,
                    context.key("bench-peer"));
            producer.setConsumerGroup("bench");
            producer.setConsumerName("peer-1");
            producer.setCreateConsumerGroup(true);
            producer.setReadOffset(ReadOffset.lastConsumed());
            producer.setAutoAck(false);
            producer.setExtractPayload(true);
            producer.setBatchSize(context.options().count());
            // Its default poll timeout is zero: on an empty stream it reads again at once, without end. That spun
            // a core (and Redis) while the scenario waited for its turn, and slowed every other scenario's rounds
            // (Rabbit's to less than half). A user with a stream that is ever quiet sets one; the binder's readers
            // block the same way. While events flow, reads return at once either way.
            producer.setPollTimeout(Duration.ofSeconds(1));
            producer.setOutputChannel(fromRedis);
            return producer;
        }
    }
}
