package io.flextime.streams.binder.config;

import java.time.Duration;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import io.flextime.streams.monitor.StreamAdmin;

/**
 * Operations on the binder's streams that belong in the application, not in the binder's own child context
 * (whose beans the application cannot see): the {@link StreamAdmin} an admin API uses, dead-letter replay
 * included. Active when the application has a Lettuce connection factory ({@code spring-boot-starter-data-redis}).
 */
@AutoConfiguration(afterName = "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration")
@ConditionalOnBean(LettuceConnectionFactory.class)
public class RedisStreamsAdminAutoConfiguration {

    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    StreamAdmin streamAdmin(LettuceConnectionFactory connectionFactory) {
        if (!connectionFactory.isRunning()) {
            connectionFactory.start();
        }
        return StreamAdmin.open(connectionFactory.getRequiredNativeClient(), Duration.ofSeconds(30));
    }
}
