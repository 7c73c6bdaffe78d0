package io.flextime.events;

import java.time.Instant;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Supplier;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The first slice of the event service: every monitoring interval the service publishes a
 * {@code system.health.check} event to {@code system-events}, and a consumer group logs what arrives.
 * It proves the whole path (function bean, binder, Redis, consumer group) on a fresh machine. The event
 * layer issue replaces these with the envelope, schemas and real handlers.
 */
@Configuration(proxyBeanMethods = false)
public class HeartbeatFunctions {

    private static final Log logger = LogFactory.getLog(HeartbeatFunctions.class);

    @Bean
    Supplier<Heartbeat> heartbeat(@Value("${flextime.service-name}") String service,
            @Value("${flextime.instance}") String instance) {
        return () -> new Heartbeat(UUID.randomUUID().toString(), "system.health.check", Instant.now().toString(),
                service, instance);
    }

    @Bean
    Consumer<Heartbeat> heartbeatLog() {
        return heartbeat -> logger.info("Received " + heartbeat.eventType() + " " + heartbeat.eventId() + " from "
                + heartbeat.service() + "/" + heartbeat.instance() + " at " + heartbeat.timestamp());
    }

    /** A heartbeat event; the full FlexTime envelope comes with the event layer. */
    public record Heartbeat(String eventId, String eventType, String timestamp, String service, String instance) {
    }
}
