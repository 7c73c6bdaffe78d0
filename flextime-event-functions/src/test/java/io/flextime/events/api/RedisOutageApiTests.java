package io.flextime.events.api;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import org.springframework.context.ConfigurableApplicationContext;

import io.flextime.events.FlexTimeTestApps;
import io.flextime.streams.testing.RedisServer;
import io.flextime.streams.testing.RedisServerOptions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * While Redis is away the monitoring reads answer 503 with a sentence naming Redis, as the admin actions do, not
 * a 500 "unexpected error"; once Redis is back they answer again. The Redis is a process of the test's own, which
 * it stops.
 */
class RedisOutageApiTests {

    private static final String KEY = "outage-key";

    @Test
    void monitoringReadsAnswer503WhileRedisIsAwayAndRecoverAfter() {
        try (RedisServer redis = RedisServer.startProcess(RedisServerOptions.defaults());
                FlexTimeTestApps apps = new FlexTimeTestApps(redis)) {
            ConfigurableApplicationContext app = apps.startWeb("--EVENT_API_KEY=" + KEY);
            ApiClient api = new ApiClient(app, KEY);
            assertThat(api.get("/api/streams").status()).isEqualTo(200);

            redis.stop();

            for (String path : new String[] { "/api/streams", "/api/consumers", "/api/streams/game-events" }) {
                ApiClient.Response response = api.get(path);
                assertThat(response.status()).as(path).isEqualTo(503);
                assertThat(response.body()).as(path).contains("Redis");
            }

            redis.restart();
            await().atMost(Duration.ofSeconds(60)).until(() -> api.get("/api/streams").status() == 200);
        }
    }
}
