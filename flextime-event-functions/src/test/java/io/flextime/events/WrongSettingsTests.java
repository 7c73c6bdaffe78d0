package io.flextime.events;

import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.flextime.streams.testing.RedisServerExtension;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Settings the service would run with and then misbehave under (an audit trail never trimmed, no event ever marked
 * handled, state that expires at once) stop it at start, with the property's name.
 */
class WrongSettingsTests {

    @RegisterExtension
    static final RedisServerExtension redisServer = new RedisServerExtension();

    @ParameterizedTest(name = "{0}")
    @CsvSource({ "flextime.audit-max-entries=0", "flextime.duplicate-window=0s", "flextime.state-retention=0s",
            "flextime.batch-timeout=0s" })
    void aSettingThatWouldMisbehaveStopsTheStartNamingIt(String setting) {
        try (FlexTimeTestApps support = new FlexTimeTestApps(redisServer.server())) {
            String property = setting.substring(0, setting.indexOf('='));
            assertThatThrownBy(() -> support.start("--" + setting)).hasStackTraceContaining(property + " must be at least");
        }
    }
}
