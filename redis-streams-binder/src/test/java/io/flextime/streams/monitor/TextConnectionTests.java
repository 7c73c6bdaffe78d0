package io.flextime.streams.monitor;

import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import io.flextime.streams.binder.connection.LettuceConnectionFactories;
import io.flextime.streams.testing.RedisServerExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

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
        this.factory = new LettuceConnectionFactory(
                new RedisStandaloneConfiguration(redis.server().host(), redis.server().port()));
        this.factory.afterPropertiesSet();
        this.factory.start();
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

    private TextConnection following() {
        return TextConnection.following(LettuceConnectionFactories.currentClient(this.factory));
    }
}
