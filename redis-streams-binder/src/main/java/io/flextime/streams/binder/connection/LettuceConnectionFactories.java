package io.flextime.streams.binder.connection;

import java.time.Duration;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.SocketOptions;

import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.util.StringUtils;

import io.flextime.streams.binder.properties.RedisBinderConfigurationProperties;

/** Builds the binder's own connection factory from {@code spring.cloud.stream.redis.binder.*}. */
public final class LettuceConnectionFactories {

    private LettuceConnectionFactories() {
    }

    public static LettuceConnectionFactory fromBinderProperties(RedisBinderConfigurationProperties properties) {
        RedisStandaloneConfiguration standalone = new RedisStandaloneConfiguration();
        LettuceClientConfiguration.LettuceClientConfigurationBuilder client = LettuceClientConfiguration.builder()
                .commandTimeout(properties.getCommandTimeout())
                .clientOptions(clientOptions(properties.getConnectTimeout()));
        if (StringUtils.hasText(properties.getClientName())) {
            client.clientName(properties.getClientName());
        }
        if (StringUtils.hasText(properties.getUrl())) {
            RedisUrl url = RedisUrl.parse(properties.getUrl());
            standalone.setHostName(url.host());
            standalone.setPort(url.port());
            standalone.setDatabase(url.database());
            if (url.username() != null) {
                standalone.setUsername(url.username());
            }
            if (url.password() != null) {
                standalone.setPassword(url.password());
            }
            if (url.ssl()) {
                client.useSsl();
            }
        }
        else {
            standalone.setHostName(properties.getHost() != null ? properties.getHost() : "localhost");
            standalone.setPort(properties.getPort() != null ? properties.getPort() : 6379);
            standalone.setDatabase(properties.getDatabase() != null ? properties.getDatabase() : 0);
            if (StringUtils.hasText(properties.getUsername())) {
                standalone.setUsername(properties.getUsername());
            }
            if (StringUtils.hasText(properties.getPassword())) {
                standalone.setPassword(properties.getPassword());
            }
            if (Boolean.TRUE.equals(properties.getSsl())) {
                client.useSsl();
            }
        }
        LettuceConnectionFactory factory = new LettuceConnectionFactory(standalone, client.build());
        factory.afterPropertiesSet();
        return factory;
    }

    /**
     * Commands issued while the connection is down fail fast instead of queueing without bound: a reader
     * then backs off and reconnects, and a producer's error reaches its error channel.
     */
    static ClientOptions clientOptions(Duration connectTimeout) {
        return ClientOptions.builder()
                .autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .socketOptions(SocketOptions.builder().connectTimeout(connectTimeout).keepAlive(true).build())
                .build();
    }
}
