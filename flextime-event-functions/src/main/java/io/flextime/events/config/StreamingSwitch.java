package io.flextime.events.config;

import java.util.Map;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * The brief's rollback switch. With {@code ENABLE_EVENT_STREAMING=false} ({@code flextime.streaming-enabled})
 * no function is bound, so no consumer starts and nothing reads or writes the streams; the API and health
 * keep working, and the events already in the streams stay there for later.
 */
public class StreamingSwitch implements EnvironmentPostProcessor {

    static final String ENABLED = "flextime.streaming-enabled";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        if (!environment.getProperty(ENABLED, Boolean.class, true)) {
            environment.getPropertySources().addFirst(new MapPropertySource("flextimeStreamingDisabled", Map.of(
                    "spring.cloud.function.definition", "",
                    "spring.cloud.stream.function.autodetect", "false")));
        }
    }
}
