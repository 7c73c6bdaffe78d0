package io.flextime.events;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

import io.flextime.streams.monitor.StreamAdmin;
import io.flextime.streams.monitor.StreamMonitor;
import io.flextime.streams.testing.RedisServerExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A context stop and start (a pause and resume) stops Spring Boot's connection factory, which shuts its Lettuce
 * client down, and starts it with a new client. The admin operations and the monitor, built once, must work
 * again afterwards, and closing the service must not close their connections a second time.
 */
class ContextRestartTests {

    @RegisterExtension
    static final RedisServerExtension redisServer = new RedisServerExtension();

    @Test
    @ExtendWith(OutputCaptureExtension.class)
    void adminAndMonitoringWorkAgainAfterTheContextIsStoppedAndStarted(CapturedOutput output) {
        try (FlexTimeTestApps apps = new FlexTimeTestApps(redisServer.server())) {
            ConfigurableApplicationContext app = apps.start("--MONITORING_INTERVAL=200");
            StreamAdmin admin = app.getBean(StreamAdmin.class);
            StreamMonitor monitor = app.getBean(StreamMonitor.class);
            String key = "flextime:stream:restart-check";
            apps.redis().xadd(key, Map.of("payload", "{}"));
            assertThat(admin.length(key)).isEqualTo(1);

            app.stop();
            app.start();

            assertThat(admin.length(key)).isEqualTo(1);
            Instant restarted = Instant.now();
            await().atMost(Duration.ofSeconds(10)).until(() -> monitor.lastFailure() == null
                    && monitor.latest() != null && monitor.latest().at().isAfter(restarted));
            app.close();
            assertThat(output.getOut()).doesNotContain("already closed");
        }
    }
}
