package io.flextime.events.handlers;

import java.util.function.Consumer;
import java.util.function.Function;

import tools.jackson.databind.json.JsonMapper;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.messaging.Message;

import io.flextime.events.config.FlexTimeProperties;
import io.flextime.events.envelope.FlexTimeEvent;
import io.flextime.events.publish.EventFactory;
import io.flextime.events.publish.FlexTimeEventPublisher;

/**
 * The FlexTime handlers, as function beans bound to the streams in application.yml (the brief's
 * {@code onScheduleCreated}, {@code onOptimizationCompleted}, ... become bindings, not callbacks).
 */
@Configuration(proxyBeanMethods = false)
public class HandlerFunctions {

    @Bean
    OptimizationTracker optimizationTrackerStore(StringRedisTemplate redis, JsonMapper jsonMapper,
            FlexTimeProperties properties) {
        return new OptimizationTracker(redis, jsonMapper, properties.getStateRetention());
    }

    @Bean
    AuditTrail auditTrailStore(StringRedisTemplate redis, JsonMapper jsonMapper, FlexTimeProperties properties) {
        return new AuditTrail(redis, jsonMapper, properties.getAuditMaxEntries());
    }

    @Bean
    SystemHealthWatcher systemHealthWatcherStore(StringRedisTemplate redis, JsonMapper jsonMapper,
            FlexTimeProperties properties) {
        return new SystemHealthWatcher(redis, jsonMapper, properties.getStateRetention());
    }

    /**
     * Schedule published, game rescheduled or cancelled: request a notification to the affected teams. The
     * output carries its own {@code eventType} and {@code eventId} header fields (not the input's).
     */
    @Bean
    Function<Message<byte[]>, Message<FlexTimeEvent>> notificationPlanner(EventHandlers handlers, EventFactory factory) {
        NotificationPlanner planner = new NotificationPlanner();
        return handlers.function("notificationPlanner", NotificationPlanner.TYPES,
                event -> planner.plan(event).map(factory::create).map(FlexTimeEventPublisher::toMessage).orElse(null));
    }

    @Bean
    Consumer<Message<byte[]>> optimizationTracker(EventHandlers handlers, OptimizationTracker tracker) {
        return handlers.consumer("optimizationTracker", OptimizationTracker.TYPES, tracker::apply);
    }

    @Bean
    Consumer<Message<byte[]>> auditTrail(EventHandlers handlers, AuditTrail trail) {
        return handlers.consumer("auditTrail", AuditTrail.TYPES, trail::record);
    }

    @Bean
    Consumer<Message<byte[]>> systemHealthWatcher(EventHandlers handlers, SystemHealthWatcher watcher) {
        return handlers.consumer("systemHealthWatcher", SystemHealthWatcher.TYPES, watcher::apply);
    }
}
