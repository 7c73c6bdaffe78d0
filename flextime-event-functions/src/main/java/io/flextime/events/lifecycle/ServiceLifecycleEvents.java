package io.flextime.events.lifecycle;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

import io.flextime.events.config.FlexTimeProperties;
import io.flextime.events.publish.FlexTimeEventPublisher;

/**
 * Announces this instance on {@code system-events}: {@code system.service.started} when ready,
 * {@code system.service.stopped} as the last thing it publishes on shutdown.
 */
@Component
public class ServiceLifecycleEvents implements SmartLifecycle {

    /**
     * Higher phases stop first. This one stops after the demo generator (the default phase), the web server
     * ({@link WebServerApplicationContext#START_STOP_LIFECYCLE_PHASE}: no request publishes any more) and Spring
     * Cloud Stream's readers ({@code DEFAULT_PHASE - 3000}: no handler does), and before its output bindings
     * ({@code Integer.MIN_VALUE + 1000}) and the Redis connection factory, through which the announcement goes.
     */
    static final int PHASE = WebServerApplicationContext.START_STOP_LIFECYCLE_PHASE - 2048;

    private final FlexTimeEventPublisher publisher;

    private final FlexTimeProperties properties;

    private final Clock clock;

    private volatile Instant startedAt;

    private volatile boolean running;

    public ServiceLifecycleEvents(FlexTimeEventPublisher publisher, FlexTimeProperties properties, Clock clock) {
        this.publisher = publisher;
        this.properties = properties;
        this.clock = clock;
    }

    @EventListener(ApplicationReadyEvent.class)
    public void started() {
        this.startedAt = Instant.now(this.clock);
        Map<String, Object> data = identity();
        data.put("version", this.properties.getServiceVersion());
        data.put("startedAt", this.startedAt.toString());
        this.publisher.publishEvent("system.service.started", data);
    }

    @Override
    public void start() {
        this.running = true;
    }

    /** Announces the stop, if the start was announced: a service that never became ready never said it was up. */
    @Override
    public void stop() {
        this.running = false;
        if (this.startedAt == null) {
            return;
        }
        Map<String, Object> data = identity();
        data.put("reason", "shutdown");
        data.put("uptimeMs", Duration.between(this.startedAt, Instant.now(this.clock)).toMillis());
        this.publisher.publishEvent("system.service.stopped", data);
    }

    @Override
    public boolean isRunning() {
        return this.running;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }

    private Map<String, Object> identity() {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("service", this.properties.getServiceName());
        data.put("instance", this.properties.getInstance());
        return data;
    }
}
