package io.flextime.streams.binder.connection;

import java.time.Duration;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.data.redis.connection.RedisSentinelConfiguration;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import io.flextime.streams.testing.RedisSentinels;
import io.flextime.streams.testing.RedisServerExtension;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.awaitility.Awaitility.await;

/** The connector on a connection factory the application owns, with the application's lifecycle. */
class RedisStreamsConnectorTests {

    @RegisterExtension
    static final RedisServerExtension redis = new RedisServerExtension();

    /**
     * Stopping the application's factory (context stop, {@code /actuator/pause}) shuts its client down and closes
     * the shared connection for good; starting it again brings a new client. Sends must work again then.
     */
    @Test
    void theSharedConnectionIsReopenedAfterTheApplicationsFactoryRestarts() {
        LettuceConnectionFactory factory = standaloneFactory();
        RedisStreamsConnector connector = new RedisStreamsConnector(factory, false, Duration.ofSeconds(5));
        byte[] key = "restarted-factory".getBytes(UTF_8);
        try {
            StreamConnection before = connector.shared();
            before.await(before.async().xadd(key, "payload".getBytes(UTF_8), "before".getBytes(UTF_8)));

            factory.stop();
            factory.start();

            StreamConnection after = connector.shared();
            assertThat(after).isNotSameAs(before);
            after.await(after.async().xadd(key, "payload".getBytes(UTF_8), "after".getBytes(UTF_8)));
            assertThat(after.await(after.async().xlen(key))).isEqualTo(2);
            assertThat(connector.shared()).isSameAs(after);
        }
        finally {
            connector.close();
            factory.destroy();
        }
    }

    /**
     * With the application's factory the client's own timeout is spring.data.redis.timeout (60 s by default): the
     * binder's connections use its command-timeout instead, so a pipelined command Redis holds fails after that.
     */
    @Test
    void theBindersConnectionsTimeOutAfterItsCommandTimeoutNotTheClients() {
        LettuceConnectionFactory factory = standaloneFactory();
        RedisStreamsConnector connector = new RedisStreamsConnector(factory, false, Duration.ofMillis(500));
        io.lettuce.core.RedisClient admin = io.lettuce.core.RedisClient.create(redis.server().uri().toString());
        try (io.lettuce.core.api.StatefulRedisConnection<String, String> pauser = admin.connect()) {
            StreamConnection connection = connector.shared();
            client(pauser, "PAUSE", "30000", "WRITE");
            try {
                io.lettuce.core.RedisFuture<String> held = connection.async().xadd("held".getBytes(UTF_8),
                        "payload".getBytes(UTF_8), "x".getBytes(UTF_8));

                await().atMost(Duration.ofSeconds(10)).until(held::isDone);
                assertThat(held.toCompletableFuture()).isCompletedExceptionally();
            }
            finally {
                client(pauser, "UNPAUSE");
            }
        }
        finally {
            admin.shutdown();
            connector.close();
            factory.destroy();
        }
    }

    /**
     * A Sentinel switch closes every open connection after it made the slot forget its own; a sender that opened the
     * slot's connection in between got one that is then closed too. The slot must not keep handing that one out.
     */
    @Test
    void aSharedConnectionClosedForGoodIsReplaced() {
        LettuceConnectionFactory factory = standaloneFactory();
        RedisStreamsConnector connector = new RedisStreamsConnector(factory, false, Duration.ofSeconds(5));
        try {
            StreamConnection closed = connector.shared();
            closed.close();

            StreamConnection replacement = connector.shared();

            assertThat(replacement).isNotSameAs(closed);
            assertThat(replacement.await(replacement.async().xlen("closed-slot".getBytes(UTF_8)))).isZero();
        }
        finally {
            connector.close();
            factory.destroy();
        }
    }

    /**
     * Behind Sentinel, a restart of the application's factory shuts down the client the switch listener had
     * subscribed with. The next connection subscribes again, so a failover still makes the binder leave the old
     * master at once (it closes its connections), not when Sentinel demotes that master seconds later.
     */
    @Test
    void afterTheApplicationsFactoryRestartsASentinelSwitchIsStillHeard() {
        try (RedisSentinels sentinels = RedisSentinels.start()) {
            LettuceConnectionFactory factory = started(new LettuceConnectionFactory(new RedisSentinelConfiguration(
                    RedisSentinels.MASTER_NAME, Set.copyOf(sentinels.sentinelNodes()))));
            RedisStreamsConnector connector = new RedisStreamsConnector(factory, false, Duration.ofSeconds(5));
            byte[] key = "sentinel-restart".getBytes(UTF_8);
            try {
                StreamConnection before = connector.shared();
                before.await(before.async().xadd(key, "payload".getBytes(UTF_8), "before".getBytes(UTF_8)));
                factory.stop();
                factory.start();
                StreamConnection after = connector.shared();
                after.await(after.async().xadd(key, "payload".getBytes(UTF_8), "after".getBytes(UTF_8)));
                int oldMaster = sentinels.masterPort();

                sentinels.startFailover();
                sentinels.awaitSwitchFrom(oldMaster);

                await().atMost(Duration.ofSeconds(30)).until(after::isClosed);
                assertThat(sentinels.isMaster(oldMaster)).as("the old master is not demoted yet").isTrue();
            }
            finally {
                connector.close();
                factory.destroy();
            }
        }
    }

    /** Lettuce reads a timeout of 0 as none at all: every wait on a silent Redis would last for ever. */
    @Test
    void aCommandTimeoutUnderOneMillisecondIsRefusedWithThePropertyName() {
        LettuceConnectionFactory factory = new LettuceConnectionFactory(
                new RedisStandaloneConfiguration(redis.server().host(), redis.server().port()));
        assertThatIllegalArgumentException().isThrownBy(() -> new RedisStreamsConnector(factory, false, Duration.ZERO))
                .withMessageContaining("command-timeout must be at least 1 ms");
    }

    /** A factory for the test's Redis, as the application context has it: initialised and started. */
    private static LettuceConnectionFactory standaloneFactory() {
        return started(new LettuceConnectionFactory(
                new RedisStandaloneConfiguration(redis.server().host(), redis.server().port())));
    }

    /** A CLIENT subcommand Lettuce has no method for ({@code PAUSE ... WRITE}, {@code UNPAUSE}). */
    private static void client(io.lettuce.core.api.StatefulRedisConnection<String, String> connection, String... arguments) {
        io.lettuce.core.protocol.CommandArgs<String, String> args =
                new io.lettuce.core.protocol.CommandArgs<>(io.lettuce.core.codec.StringCodec.UTF8);
        for (String argument : arguments) {
            args.add(argument);
        }
        connection.sync().dispatch(io.lettuce.core.protocol.CommandType.CLIENT,
                new io.lettuce.core.output.StatusOutput<>(io.lettuce.core.codec.StringCodec.UTF8), args);
    }

    /** A factory as the application context has it: initialised and started. */
    private static LettuceConnectionFactory started(LettuceConnectionFactory factory) {
        factory.afterPropertiesSet();
        factory.start();
        return factory;
    }
}
