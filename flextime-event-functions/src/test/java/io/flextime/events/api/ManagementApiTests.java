package io.flextime.events.api;

import java.time.Duration;
import java.util.Map;

import io.lettuce.core.XReadArgs;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

import org.springframework.context.ConfigurableApplicationContext;

import io.flextime.events.FlexTimeTestApps;
import io.flextime.streams.testing.RedisServerExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Every endpoint of the brief, over real HTTP against the running service and a real Redis. */
class ManagementApiTests {

    static final String KEY = "test-key-0123456789";

    private static final String PREFIX = "flextime:stream:";

    @RegisterExtension
    static final RedisServerExtension redisServer = new RedisServerExtension();

    private static FlexTimeTestApps apps;

    private static ApiClient api;

    @BeforeAll
    static void start() {
        apps = new FlexTimeTestApps(redisServer.server());
        ConfigurableApplicationContext app = apps.startWeb("--EVENT_API_KEY=" + KEY, "--MONITORING_INTERVAL=200");
        api = new ApiClient(app, KEY);
    }

    @AfterAll
    static void stop() {
        apps.close();
    }

    @Test
    void healthIsOpenAndRevealsNothingElse() {
        ApiClient.Response health = api.send("GET", "/health", null, (String) null);
        assertThat(health.status()).isEqualTo(200);
        assertThat(health.json().propertyNames()).containsExactly("status");
        assertThat(health.json().path("status").asString()).isEqualTo("UP");
    }

    @Test
    void publishThenReadItBackThroughStreamsAndMessages() {
        ApiClient.Response published = api.post("/api/events/publish",
                "{\"eventType\":\"schedule.created\",\"data\":{\"scheduleId\":\"s-api\",\"sport\":\"Basketball\"},\"priority\":\"high\"}");
        assertThat(published.status()).isEqualTo(201);
        String recordId = published.json().path("recordId").asString();
        assertThat(published.json().path("stream").asString()).isEqualTo("schedule-events");

        ApiClient.Response stream = api.get("/api/streams/schedule-events");
        assertThat(stream.status()).isEqualTo(200);
        assertThat(stream.json().path("length").asLong()).isPositive();
        assertThat(api.get("/api/streams").json().findValuesAsString("name")).contains("schedule-events");

        ApiClient.Response messages = api.get("/api/streams/schedule-events/messages?start=" + recordId + "&end=" + recordId + "&count=1");
        assertThat(messages.status()).isEqualTo(200);
        JsonNode message = messages.json().path("messages").get(0);
        assertThat(message.path("id").asString()).isEqualTo(recordId);
        assertThat(message.path("event").path("eventType").asString()).isEqualTo("schedule.created");
        assertThat(message.path("event").path("priority").asString()).isEqualTo("high");
        assertThat(message.path("fields").path("eventType").asString()).isEqualTo("schedule.created");

        ApiClient.Response page = api.get("/api/streams/schedule-events/messages?count=1&reverse=true");
        assertThat(page.json().path("next").path("end").asString()).startsWith("(");
    }

    @Test
    void batchPublishReportsEachEvent() {
        ApiClient.Response batch = api.post("/api/events/publish/batch", "{\"events\":["
                + "{\"eventType\":\"system.health.check\",\"data\":{\"test\":true}},"
                + "{\"eventType\":\"system.health.check\",\"data\":{\"bogus\":1}}]}");
        assertThat(batch.status()).isEqualTo(200);
        assertThat(batch.json().path("published").asInt()).isEqualTo(1);
        assertThat(batch.json().path("results").get(1).path("status").asString()).isEqualTo("rejected");
    }

    @Test
    void eventTypesAndTheirSchemas() {
        JsonNode types = api.get("/api/events/types").json();
        assertThat(types.size()).isEqualTo(24);
        assertThat(types.get(0).propertyNames()).contains("type", "stream", "version", "description");
        ApiClient.Response schema = api.get("/api/events/schema/game.cancelled");
        assertThat(schema.status()).isEqualTo(200);
        assertThat(schema.json().path("$schema").asString()).contains("2020-12");
        assertThat(schema.json().path("title").asString()).isEqualTo("game.cancelled");
    }

    @Test
    void consumerGroupsShowLagPendingAndOldestPendingAge() {
        await().atMost(Duration.ofSeconds(30)).until(() -> api.get("/api/consumers").json().size() >= 7);
        JsonNode groups = api.get("/api/consumers").json();
        assertThat(groups.get(0).propertyNames()).contains("stream", "name", "lag", "pending", "oldestPendingIdleMs", "consumers");
        ApiClient.Response audit = api.get("/api/consumers/flextime-workers-audit");
        assertThat(audit.status()).isEqualTo(200);
        assertThat(audit.json().size()).isEqualTo(7);
    }

    @Test
    void metricsSummaryAndAlertsComeFromTheMonitoringCore() {
        await().atMost(Duration.ofSeconds(30)).until(() -> api.get("/api/metrics/summary").status() == 200);
        assertThat(api.get("/api/metrics/summary").json().path("streams").asInt()).isGreaterThanOrEqualTo(7);
        JsonNode metrics = api.get("/api/metrics").json();
        assertThat(metrics.propertyNames()).contains("status", "publisher", "consumers", "monitor", "activeAlerts");
        assertThat(api.get("/api/metrics/alerts").json().propertyNames()).contains("active", "history");
    }

    @Test
    void adminTrimsResetsReplaysAndDeletesWithConfirmation() {
        for (int i = 0; i < 20; i++) {
            apps.redis().xadd(PREFIX + "admin-trim", Map.of("payload", "{}"));
        }
        ApiClient.Response trimmed = api.post("/api/admin/streams/admin-trim/trim", "{\"maxLength\":5}");
        assertThat(trimmed.status()).isEqualTo(200);
        assertThat(trimmed.json().path("length").asLong()).isEqualTo(5);

        apps.redis().xgroupCreate(XReadArgs.StreamOffset.from(PREFIX + "admin-trim", "$"), "readers");
        ApiClient.Response reset = api.post("/api/admin/consumers/readers/reset", "{\"to\":\"0\",\"stream\":\"admin-trim\"}");
        assertThat(reset.status()).isEqualTo(200);
        assertThat(api.get("/api/consumers/readers").json().get(0).path("lastDeliveredId").asString()).isEqualTo("0-0");

        apps.redis().xadd("{" + PREFIX + "orphans}.g.dlq", Map.of("payload", "{}", "dlq_originalStream", PREFIX + "admin-trim"));
        ApiClient.Response replay = api.post("/api/admin/dead-letters/%7Borphans%7D.g.dlq/replay?max=10", null);
        assertThat(replay.status()).isEqualTo(200);
        assertThat(replay.json().path("replayed").size()).isEqualTo(1);

        assertThat(api.delete("/api/admin/streams/admin-trim").status()).isEqualTo(400);
        assertThat(apps.redis().exists(PREFIX + "admin-trim")).isEqualTo(1);
        ApiClient.Response deleted = api.delete("/api/admin/streams/admin-trim?confirm=admin-trim");
        assertThat(deleted.status()).isEqualTo(200);
        assertThat(apps.redis().exists(PREFIX + "admin-trim")).isZero();
    }

    @Test
    void actuatorIsBehindTheKeyExceptTheProbes() {
        assertThat(api.send("GET", "/actuator/health", null, (String) null).status()).isEqualTo(401);
        ApiClient.Response health = api.get("/actuator/health");
        assertThat(health.status()).isEqualTo(200);
        assertThat(health.json().path("components").path("binders").path("components").path("redis").path("status")
                .asString()).isEqualTo("UP");
        assertThat(api.send("GET", "/actuator/health/liveness", null, (String) null).status()).isEqualTo(200);
        assertThat(api.send("GET", "/actuator/health/readiness", null, (String) null).status()).isEqualTo(200);
        assertThat(api.get("/actuator/prometheus").body()).contains("redis_streams");
        assertThat(api.get("/actuator/bindings").status()).isEqualTo(200);
        ApiClient.Response paused = api.send("POST", "/actuator/bindings/systemHealthWatcher-in-0", "{\"state\":\"PAUSED\"}",
                Map.of("X-API-Key", KEY, "Content-Type", "application/json"));
        assertThat(paused.status()).isBetween(200, 204);
        api.send("POST", "/actuator/bindings/systemHealthWatcher-in-0", "{\"state\":\"RESUMED\"}",
                Map.of("X-API-Key", KEY, "Content-Type", "application/json"));
    }
}
