package io.flextime.events.config;

import java.time.Clock;

import io.micrometer.core.instrument.MeterRegistry;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.cloud.stream.function.StreamBridge;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.integration.channel.DirectChannel;

import io.flextime.events.handlers.DuplicateEventGuard;
import io.flextime.events.handlers.EventHandlers;
import io.flextime.events.publish.EventFactory;
import io.flextime.events.publish.FlexTimeEventPublisher;
import io.flextime.events.publish.SentRecordReceipts;
import io.flextime.events.schema.EventSchemas;

/** Schemas, envelope factory, publisher facade and handler infrastructure. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(FlexTimeProperties.class)
public class EventLayerConfiguration {

    /** The channel named as {@code record-metadata-channel} by the publisher's bindings in application.yml. */
    static final String SENT_RECORDS_CHANNEL = "flextimeSentRecords";

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean
    EventSchemas eventSchemas(JsonMapper jsonMapper) {
        return new EventSchemas(jsonMapper);
    }

    @Bean
    EventFactory eventFactory(EventSchemas schemas, JsonMapper jsonMapper, FlexTimeProperties properties, Clock clock) {
        return new EventFactory(schemas, jsonMapper, properties, clock);
    }

    @Bean
    SentRecordReceipts sentRecordReceipts() {
        return new SentRecordReceipts();
    }

    @Bean(SENT_RECORDS_CHANNEL)
    DirectChannel flextimeSentRecords(SentRecordReceipts receipts) {
        DirectChannel channel = new DirectChannel();
        channel.subscribe(receipts);
        return channel;
    }

    @Bean
    FlexTimeEventPublisher flexTimeEventPublisher(EventFactory factory, StreamBridge streamBridge,
            SentRecordReceipts receipts, FlexTimeProperties properties, MeterRegistry meters) {
        return new FlexTimeEventPublisher(factory, streamBridge, receipts, properties, meters);
    }

    @Bean
    DuplicateEventGuard duplicateEventGuard(StringRedisTemplate redis, FlexTimeProperties properties) {
        return new DuplicateEventGuard(redis, properties.getDuplicateWindow());
    }

    @Bean
    EventHandlers eventHandlers(EventSchemas schemas, DuplicateEventGuard guard, MeterRegistry meters,
            FlexTimeProperties properties, JsonMapper jsonMapper) {
        return new EventHandlers(schemas, guard, meters, properties, jsonMapper);
    }
}
