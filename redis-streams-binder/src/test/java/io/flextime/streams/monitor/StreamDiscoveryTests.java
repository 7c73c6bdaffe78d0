package io.flextime.streams.monitor;

import java.util.Map;
import java.util.UUID;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.flextime.streams.testing.RedisServerExtension;

import static org.assertj.core.api.Assertions.assertThat;

/** Which streams a walk of the keyspace finds, and how long it remembers them; a small keyspace, one page a walk. */
class StreamDiscoveryTests {

    @RegisterExtension
    static final RedisServerExtension redis = new RedisServerExtension();

    private RedisClient client;

    private StatefulRedisConnection<String, String> connection;

    private final String prefix = "discovery-" + UUID.randomUUID() + ":";

    private StreamDiscovery discovery;

    @BeforeEach
    void connect() {
        this.client = RedisClient.create(redis.server().uri().toString());
        this.connection = this.client.connect();
        this.discovery = new StreamDiscovery(this.connection.async(), this.prefix,
                futures -> futures.forEach(future -> future.toCompletableFuture().join()));
    }

    @AfterEach
    void close() {
        this.connection.close();
        this.client.shutdown();
    }

    /**
     * Deleted without anyone noticing (the passes that would have read it failed): one walk that does not find a
     * stream may have missed it, two in a row mean it is gone.
     */
    @Test
    void aStreamNoWalkFindsAnyMoreIsForgottenAfterTwoWalks() {
        this.connection.sync().xadd(this.prefix + "orders", Map.of("payload", "x"));
        assertThat(this.discovery.keys(new int[1])).containsExactly(this.prefix + "orders");

        this.connection.sync().del(this.prefix + "orders");

        assertThat(this.discovery.keys(new int[1])).as("one walk missed it").containsExactly(this.prefix + "orders");
        assertThat(this.discovery.keys(new int[1])).as("two walks missed it").isEmpty();
    }

    @Test
    void aStreamRedisSaysIsGoneIsForgottenAtOnceAndFoundAgainWhenItComesBack() {
        this.connection.sync().xadd(this.prefix + "orders", Map.of("payload", "x"));
        assertThat(this.discovery.keys(new int[1])).containsExactly(this.prefix + "orders");

        this.discovery.gone(this.prefix + "orders");
        assertThat(this.discovery.keys(new int[1])).as("still there, so the walk finds it again")
                .containsExactly(this.prefix + "orders");
    }
}
