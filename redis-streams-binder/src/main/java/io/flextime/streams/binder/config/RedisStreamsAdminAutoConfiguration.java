package io.flextime.streams.binder.config;

import java.time.Duration;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import io.flextime.streams.binder.connection.LettuceConnectionFactories;
import io.flextime.streams.binder.outbound.PipelinedSendsDrain;
import io.flextime.streams.monitor.StreamAdmin;

/**
 * What belongs in the application context, not in the binder's own child context (whose beans the application
 * cannot see, and whose lifecycle is not ordered with the application's): the {@link StreamAdmin} an admin API
 * uses, dead-letter replay included, and the {@link PipelinedSendsDrain} that lets pipelined sends finish before
 * the application's connection factory stops. Active when the application has a Lettuce connection factory
 * ({@code spring-boot-starter-data-redis}).
 */
@AutoConfiguration(afterName = "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration")
@ConditionalOnBean(LettuceConnectionFactory.class)
public class RedisStreamsAdminAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    PipelinedSendsDrain redisStreamsPipelinedSendsDrain() {
        return new PipelinedSendsDrain();
    }

    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    StreamAdmin streamAdmin(LettuceConnectionFactory connectionFactory) {
        if (!connectionFactory.isRunning()) {
            connectionFactory.start();
        }
        return StreamAdmin.owning(LettuceConnectionFactories.textConnection(connectionFactory), Duration.ofSeconds(30));
    }
}
