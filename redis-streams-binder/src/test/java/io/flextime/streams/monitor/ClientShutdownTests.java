package io.flextime.streams.monitor;

import java.time.Duration;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.flextime.streams.testing.RedisServerExtension;

import static org.assertj.core.api.Assertions.assertThat;

/** A bounded shutdown of a Lettuce client, and the second shutdown that Spring Data's factory then does. */
class ClientShutdownTests {

    @RegisterExtension
    static final RedisServerExtension redisServer = new RedisServerExtension();

    @Test
    void aClientWithAnOpenConnectionShutsDownAndASecondShutdownReturnsAtOnce() {
        RedisClient client = RedisClient.create(redisServer.server().uri().toString());
        StatefulRedisConnection<String, String> connection = client.connect();
        assertThat(connection.sync().ping()).isEqualTo("PONG");

        assertThat(ClientShutdown.within(client, Duration.ZERO, Duration.ofSeconds(2))).isTrue();

        assertThat(connection.isOpen()).isFalse();
        assertThat(ClientShutdown.within(client, Duration.ZERO, Duration.ofSeconds(2))).isTrue();
    }
}
