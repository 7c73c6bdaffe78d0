package io.flextime.streams.monitor;

import java.time.Duration;
import java.util.List;

import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.cluster.api.async.RedisAdvancedClusterAsyncCommands;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.data.redis.connection.RedisClusterConfiguration;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import io.flextime.streams.binder.connection.LettuceConnectionFactories;
import io.flextime.streams.testing.RedisServer;
import io.flextime.streams.testing.RedisServerExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A monitor's or an admin's connection from the application's connection factory, through the factory's
 * lifecycle: a stop shuts the factory's Lettuce client down and a start makes a new one.
 */
@ExtendWith(OutputCaptureExtension.class)
class TextConnectionTests {

    @RegisterExtension
    static final RedisServerExtension redis = new RedisServerExtension();

    private LettuceConnectionFactory factory;

    @BeforeEach
    void startFactory() {
        this.factory = factoryFor(redis.server());
    }

    @AfterEach
    void destroyFactory() {
        this.factory.destroy();
    }

    @Test
    void commandsHandedOutOnceKeepWorkingAfterTheFactoryIsStoppedAndStartedAgain() throws Exception {
        try (TextConnection connection = following()) {
            RedisClusterAsyncCommands<String, String> commands = connection.async();
            commands.set("restarted", "before").get();

            this.factory.stop();
            this.factory.start();

            assertThat(commands.get("restarted").get()).isEqualTo("before");
            assertThat(commands.set("restarted", "after").get()).isEqualTo("OK");
        }
    }

    @Test
    void whileTheFactoryIsStoppedCommandsFailAtOnceSayingSo() {
        try (TextConnection connection = following()) {
            this.factory.stop();

            assertThatIllegalStateException().isThrownBy(() -> connection.async().ping())
                    .withMessageContaining("connection factory is stopped");
        }
    }

    /** The factory stops before the beans holding connections are destroyed: the connection is gone already. */
    @Test
    void closingAfterTheFactoryStoppedLeavesTheGoneConnectionAlone(CapturedOutput output) {
        TextConnection connection = following();
        connection.async().ping();
        this.factory.stop();

        connection.close();

        assertThat(output).doesNotContain("already closed");
    }

    @Test
    void aConnectionOnAFixedClientIsClosedWithIt() throws Exception {
        TextConnection connection = TextConnection.open(this.factory.getRequiredNativeClient());
        assertThat(connection.async().ping().get()).isEqualTo("PONG");

        connection.close();

        assertThatIllegalStateException().isThrownBy(() -> connection.async().ping())
                .withMessageContaining("closed");
        assertThat(this.factory.getConnection().ping()).isEqualTo("PONG");
    }

    /** An application whose Redis is away at startup still starts; its monitor reports the failure. */
    @Test
    void aFollowingConnectionOpensOnFirstUseSoRedisMayBeAwayWhenItIsMade() throws Exception {
        try (RedisServer own = RedisServer.start()) {
            assumeTrue(own.supportsFaults(), own.faultsUnsupportedReason());
            LettuceConnectionFactory ownFactory = factoryFor(own);
            own.stop();
            try (TextConnection connection = LettuceConnectionFactories.textConnection(ownFactory)) {
                assertThatExceptionOfType(RedisConnectionException.class).isThrownBy(() -> connection.async().ping());

                own.restart();

                // The next attempt to connect is made at most RETRY_AFTER_FAILURE after the failed one.
                await().atMost(Duration.ofSeconds(10)).ignoreExceptions()
                        .until(() -> "PONG".equals(connection.async().ping().get()));
            }
            finally {
                ownFactory.destroy();
            }
        }
    }

    /** Callers during an outage fail at once with the last attempt's failure, not each after its own connect wait. */
    @Test
    void rightAfterAFailedConnectCallersGetThatFailureWithoutAnotherAttempt() throws Exception {
        try (RedisServer own = RedisServer.start()) {
            assumeTrue(own.supportsFaults(), own.faultsUnsupportedReason());
            LettuceConnectionFactory ownFactory = factoryFor(own);
            own.stop();
            try (TextConnection connection = TextConnection.following(ownFactory::getNativeClient, false,
                    Duration.ofHours(1))) {
                RedisConnectionException first = catchThrowableOfType(RedisConnectionException.class,
                        () -> connection.async().ping());
                own.restart();

                assertThatExceptionOfType(RedisConnectionException.class).isThrownBy(() -> connection.async().ping())
                        .withMessageContaining("could not be reached a moment ago").withCause(first);
            }
            finally {
                ownFactory.destroy();
            }
        }
    }

    /** The monitor reaches each cluster master itself through the advanced cluster commands (SnapshotCollector). */
    @Test
    void onAClusterTheCommandsAreTheAdvancedClusterCommands() {
        LettuceConnectionFactory clusterFactory = new LettuceConnectionFactory(
                new RedisClusterConfiguration(List.of("127.0.0.1:7000")));
        clusterFactory.afterPropertiesSet();
        try (TextConnection connection = LettuceConnectionFactories.textConnection(clusterFactory)) {
            assertThat(connection.async()).isInstanceOf(RedisAdvancedClusterAsyncCommands.class);
        }
        finally {
            clusterFactory.destroy();
        }
        try (TextConnection connection = following()) {
            assertThat(connection.async()).isNotInstanceOf(RedisAdvancedClusterAsyncCommands.class);
        }
    }

    private static LettuceConnectionFactory factoryFor(RedisServer server) {
        LettuceConnectionFactory factory = new LettuceConnectionFactory(
                new RedisStandaloneConfiguration(server.host(), server.port()));
        factory.afterPropertiesSet();
        factory.start();
        return factory;
    }

    private TextConnection following() {
        return LettuceConnectionFactories.textConnection(this.factory);
    }
}
