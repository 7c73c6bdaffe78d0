package io.flextime.events;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.flextime.streams.testing.RedisServerExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class DemoTrafficTests {

    @RegisterExtension
    static final RedisServerExtension redisServer = new RedisServerExtension();

    @Test
    void demoFlagFillsSeveralStreamsWithValidEvents() {
        try (FlexTimeTestApps support = new FlexTimeTestApps(redisServer.server())) {
            support.start("--flextime.demo.enabled=true", "--flextime.demo.rate-per-second=200");
            await().atMost(Duration.ofSeconds(30)).until(() -> nonEmptyStreams(support) >= 4);
            // Every demo event passed validation on publish and, once the handlers have seen plenty, on receipt too.
            await().atMost(Duration.ofSeconds(30)).until(() -> support.redis().llen("flextime:audit") >= 50);
            assertThat(support.redis().keys("*.dlq")).isEmpty();
        }
    }

    @Test
    void demoIsOffByDefault() {
        try (FlexTimeTestApps support = new FlexTimeTestApps(redisServer.server())) {
            support.redis().flushdb();
            support.start();
            // Only the service's own start-up announcement: the consumers created the other streams, empty.
            await().atMost(Duration.ofSeconds(30)).until(() -> support.redis().xlen("flextime:stream:system-events") == 1);
            assertThat(support.redis().xlen("flextime:stream:schedule-events")).isZero();
            assertThat(support.redis().xlen("flextime:stream:optimization-events")).isZero();
        }
    }

    private static long nonEmptyStreams(FlexTimeTestApps support) {
        return support.redis().keys("flextime:stream:*").stream().filter(key -> !key.endsWith(".dlq"))
                .filter(key -> support.redis().type(key).equals("stream") && support.redis().xlen(key) > 0).count();
    }
}
