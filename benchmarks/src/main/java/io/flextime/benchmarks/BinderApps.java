package io.flextime.benchmarks;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/** Starts {@link BenchmarkApp} on a binder with the given functions and bindings. */
final class BinderApps {

    private BinderApps() {
    }

    /**
     * With {@code observed}, Actuator's default: Spring Cloud Function observes every invocation (the
     * {@code StreamBridge} send included) and Spring Integration every send to the {@code StreamBridge} channel,
     * and Actuator's meter handler records a timer for each. Otherwise those two per-message observations are
     * switched off by name, as a throughput-minded application would, or as one without Actuator has them.
     */
    static ConfigurableApplicationContext start(BenchmarkContext context, String binder, String functions,
            Map<String, String> bindings, boolean observed) {
        Map<String, String> properties = new LinkedHashMap<>(bindings);
        if (observed) {
            properties.put("management.observations.enable.spring.cloud.function", "true");
            properties.put("management.observations.enable.spring.integration", "true");
        }
        return start(context, binder, functions, properties, null);
    }

    /** With {@code tracker} in place before any binding starts (a consumer starting in front of a backlog). */
    static ConfigurableApplicationContext start(BenchmarkContext context, String binder, String functions,
            Map<String, String> bindings, Tracker tracker) {
        Map<String, Object> properties = new LinkedHashMap<>();
        // Not "application": the FlexTime service's application.yml is on this class path and must not apply.
        properties.put("spring.config.name", "benchmark");
        properties.put("spring.main.banner-mode", "off");
        properties.put("logging.level.root", "WARN");
        // Both the Redis and the Rabbit binder are on the class path.
        properties.put("spring.cloud.stream.default-binder", binder);
        properties.put("spring.cloud.function.definition", functions);
        properties.put("spring.cloud.stream.redis.binder.url", context.redisUri());
        properties.put("spring.cloud.stream.redis.binder.prefix", context.prefix());
        properties.put("spring.cloud.stream.redis.default.consumer.count", context.options().count());
        properties.put("spring.cloud.stream.redis.default.consumer.consumer-name", "bench");
        properties.put("spring.cloud.stream.default.consumer.concurrency", context.options().concurrency());
        // The Rabbit binder's default prefetch is 1, one round trip per message; give it the batch Redis gets.
        properties.put("spring.cloud.stream.rabbit.default.consumer.prefetch", context.options().count());
        properties.put("spring.cloud.stream.default.content-type", "application/json");
        properties.put("management.observations.enable.spring.cloud.function", "false");
        properties.put("management.observations.enable.spring.integration", "false");
        properties.putAll(bindings);
        SpringApplicationBuilder builder = new SpringApplicationBuilder(BenchmarkApp.class).web(WebApplicationType.NONE)
                .properties(properties);
        if (tracker != null) {
            builder.initializers(app -> app.getBeanFactory().registerSingleton("initialTracker", tracker));
        }
        return builder.run();
    }
}
