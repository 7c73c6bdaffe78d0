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
 * a 500 "unexpected error", and without Redis' address or Java's exception names; once Redis is back they answer
 * again. The Redis is a process of the test's own, which
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

            for (String path : new String[] { "/api/streams", "/api/consumers", "/api/streams/game-events",
                    "POST /api/events/publish", "POST /api/admin/streams/game-events/trim" }) {
                ApiClient.Response response = path.startsWith("POST ") ? post(api, path.substring(5)) : api.get(path);
                assertThat(response.status()).as(path).isEqualTo(503);
                assertThat(response.body()).as(path).contains("Redis")
                        // Where Redis runs is the operator's business, not the API caller's: it goes to the log.
                        .doesNotContain(":" + redis.uri().getPort()).doesNotContain("Exception");
            }

            redis.restart();
            await().atMost(Duration.ofSeconds(60)).until(() -> api.get("/api/streams").status() == 200);
        }
    }

    private static ApiClient.Response post(ApiClient api, String path) {
        return api.post(path, path.endsWith("/trim") ? "{\"maxLength\": 10}"
                : "{\"eventType\":\"system.health.check\",\"data\":{\"test\":true}}");
    }
}
