package io.flextime.events;

import java.time.Duration;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

import io.flextime.streams.testing.RedisServerExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The service starts from its own application.yml, with the brief's environment variables, and its heartbeat flows. */
@ExtendWith(OutputCaptureExtension.class)
class FlexTimeEventsApplicationTests {

    @RegisterExtension
    static final RedisServerExtension redis = new RedisServerExtension();

    @Test
    void heartbeatGoesThroughSystemEventsToTheConsumerGroup(CapturedOutput output) {
        try (ConfigurableApplicationContext app = new SpringApplicationBuilder(FlexTimeEventsApplication.class)
                .web(WebApplicationType.NONE)
                .run("--REDIS_STREAMS_HOST=" + redis.server().host(), "--REDIS_STREAMS_PORT=" + redis.server().port(),
                        "--REDIS_STREAMS_DB=0", "--MONITORING_INTERVAL=100")) {
            await().atMost(Duration.ofSeconds(30)).until(() -> output.getOut().contains("Received system.health.check"));
        }
        try (RedisClient client = RedisClient.create(redis.server().uri().toString());
                StatefulRedisConnection<String, String> connection = client.connect()) {
            assertThat(connection.sync().xlen("flextime:stream:system-events")).isPositive();
        }
    }
}
