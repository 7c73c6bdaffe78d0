package io.flextime.streams.binder.config;

import java.time.Duration;

import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.flextime.streams.binder.connection.RedisStreamsConnector;
import io.flextime.streams.binder.health.RedisBinderHealthIndicator;

/** Registers the binder health indicator when Spring Boot's health support is on the class path. */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(name = "org.springframework.boot.health.contributor.HealthIndicator")
@ConditionalOnEnabledHealthIndicator("binders")
public class RedisBinderHealthIndicatorConfiguration {

    @Bean
    RedisBinderHealthIndicator redisBinderHealthIndicator(RedisStreamsConnector connector) {
        return new RedisBinderHealthIndicator(connector, Duration.ofSeconds(2));
    }
}
