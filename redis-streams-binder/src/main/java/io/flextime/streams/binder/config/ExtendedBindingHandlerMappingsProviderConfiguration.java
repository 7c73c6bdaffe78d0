package io.flextime.streams.binder.config;

import java.util.Map;

import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.cloud.stream.config.BindingHandlerAdvise.MappingsProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Lets {@code spring.cloud.stream.redis.default.*} apply to every binding that has no
 * {@code spring.cloud.stream.redis.bindings.<binding>.*} of its own. Runs in the application context.
 */
@Configuration(proxyBeanMethods = false)
public class ExtendedBindingHandlerMappingsProviderConfiguration {

    @Bean
    MappingsProvider redisExtendedPropertiesDefaultMappingsProvider() {
        return () -> Map.of(ConfigurationPropertyName.of("spring.cloud.stream.redis.bindings"),
                ConfigurationPropertyName.of("spring.cloud.stream.redis.default"));
    }
}
