package io.flextime.events.lifecycle;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationContext;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

import io.flextime.events.config.FlexTimeProperties;
import io.flextime.events.publish.FlexTimeEventPublisher;

/** Announces this instance on {@code system-events}: {@code system.service.started} when ready, {@code system.service.stopped} on shutdown. */
@Component
public class ServiceLifecycleEvents {

    private final FlexTimeEventPublisher publisher;

    private final FlexTimeProperties properties;

    private final Clock clock;

    private final ApplicationContext context;

    private volatile Instant startedAt;

    public ServiceLifecycleEvents(FlexTimeEventPublisher publisher, FlexTimeProperties properties, Clock clock,
            ApplicationContext context) {
        this.publisher = publisher;
        this.properties = properties;
        this.clock = clock;
        this.context = context;
    }

    @EventListener(ApplicationReadyEvent.class)
    public void started() {
        this.startedAt = Instant.now(this.clock);
        Map<String, Object> data = identity();
        data.put("version", this.properties.getServiceVersion());
        data.put("startedAt", this.startedAt.toString());
        this.publisher.publishEvent("system.service.started", data);
    }

    /**
     * On this application's own close only (published once per close). Child contexts (Spring Cloud Stream's binder context) announce
     * their close to the parent's listeners too, when the parent has long stopped its bindings: the stop was
     * announced twice, the second time refused with a warning.
     */
    @EventListener
    public void stopped(ContextClosedEvent event) {
        if (event.getApplicationContext() != this.context || this.startedAt == null) {
            return;
        }
        Map<String, Object> data = identity();
        data.put("reason", "shutdown");
        data.put("uptimeMs", Duration.between(this.startedAt, Instant.now(this.clock)).toMillis());
        this.publisher.publishEvent("system.service.stopped", data);
    }

    private Map<String, Object> identity() {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("service", this.properties.getServiceName());
        data.put("instance", this.properties.getInstance());
        return data;
    }
}
