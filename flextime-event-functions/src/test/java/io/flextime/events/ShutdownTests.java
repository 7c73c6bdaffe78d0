package io.flextime.events;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.lettuce.core.Range;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.cloud.stream.function.StreamBridge;
import org.springframework.context.ConfigurableApplicationContext;

import io.flextime.streams.testing.RedisServerExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Shutting the service down while pipelined sends await Redis' reply. The service's connection factory is
 * Spring Boot's, which stops (and shuts its client down) before Spring Cloud Stream stops output bindings; the
 * binder's drain must let every reply arrive first.
 */
class ShutdownTests {

    @RegisterExtension
    static final RedisServerExtension redisServer = new RedisServerExtension();

    @Test
    @ExtendWith(OutputCaptureExtension.class)
    void pipelinedSendsStillAwaitingRepliesAtShutdownAllLand(CapturedOutput output) {
        try (FlexTimeTestApps apps = new FlexTimeTestApps(redisServer.server())) {
            // No consumers, so nothing else waits on Redis during the shutdown.
            ConfigurableApplicationContext app = apps.start("--ENABLE_EVENT_STREAMING=false");
            StreamBridge bridge = app.getBean(StreamBridge.class);
            String key = "flextime:stream:shutdown-check";
            // A destination without a binding of its own: default producer settings, pipelined.
            bridge.send("shutdown-check", "{\"n\":0}");
            await().atMost(Duration.ofSeconds(10)).until(() -> apps.redis().xlen(key) == 1);

            // Redis holds every write for a while, so the next sends are still awaiting replies at shutdown.
            apps.redis().clientPause(3_000);
            for (int i = 1; i <= 1_000; i++) {
                bridge.send("shutdown-check", "{\"n\":" + i + "}");
            }
            app.close();

            assertThat(apps.redis().xlen(key)).isEqualTo(1_001);
            assertThat(output.getOut()).doesNotContain("XADD to stream '" + key + "'");
        }
    }

    /**
     * The stop is announced once, on the service's own close: the binder's child context closes later, when the
     * bindings have stopped, and must not announce it again.
     */
    @Test
    @ExtendWith(OutputCaptureExtension.class)
    void theServiceAnnouncesItsStopOnSystemEventsOnce(CapturedOutput output) {
        try (FlexTimeTestApps apps = new FlexTimeTestApps(redisServer.server())) {
            ConfigurableApplicationContext app = apps.start();
            String key = "flextime:stream:system-events";
            await().atMost(Duration.ofSeconds(10)).until(() -> eventTypes(apps, key).contains("system.service.started"));

            app.close();

            assertThat(eventTypes(apps, key)).containsExactly("system.service.started", "system.service.stopped");
            assertThat(output.getOut()).doesNotContain("Could not publish system.service.stopped");
        }
    }

    /**
     * The stop announcement is the last event the instance publishes: the demo generator, the web server and the
     * handlers stop before it. The event the generator is sending when the stop begins is let finish, not interrupted.
     */
    @Test
    @ExtendWith(OutputCaptureExtension.class)
    void theStopAnnouncementIsTheLastEventTheInstancePublishes(CapturedOutput output) {
        try (FlexTimeTestApps apps = new FlexTimeTestApps(redisServer.server())) {
            String instance = "last-word-" + UUID.randomUUID();
            ConfigurableApplicationContext app = apps.start("--flextime.demo.enabled=true",
                    "--flextime.demo.rate-per-second=500", "--flextime.instance=" + instance);
            await().atMost(Duration.ofSeconds(30)).until(() -> eventsOf(apps, instance).size() > 200);

            app.close();

            List<Map<String, Object>> events = eventsOf(apps, instance);
            List<Map<String, Object>> stops = events.stream()
                    .filter(event -> "system.service.stopped".equals(event.get("eventType"))).toList();
            assertThat(stops).hasSize(1);
            Instant stoppedAt = Instant.parse((String) stops.get(0).get("timestamp"));
            assertThat(events).allSatisfy(event ->
                    assertThat(Instant.parse((String) event.get("timestamp"))).isBeforeOrEqualTo(stoppedAt));
            assertThat(output.getOut()).doesNotContain("Demo traffic hiccup").doesNotContain("Demo event not published");
        }
    }

    /** Every event in the service's streams that {@code instance} published. */
    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> eventsOf(FlexTimeTestApps apps, String instance) {
        JsonMapper json = JsonMapper.builder().build();
        return apps.redis().keys("flextime:stream:*").stream()
                .filter(key -> "stream".equals(apps.redis().type(key)))
                .flatMap(key -> apps.redis().xrange(key, Range.create("-", "+")).stream())
                .map(entry -> (Map<String, Object>) json.readValue(entry.getBody().get("payload"), Map.class))
                .filter(event -> event.get("source") instanceof Map<?, ?> source && instance.equals(source.get("instance")))
                .toList();
    }

    private static List<String> eventTypes(FlexTimeTestApps apps, String key) {
        return apps.redis().xrange(key, Range.create("-", "+")).stream()
                .map(entry -> entry.getBody().get("payload"))
                .filter(payload -> payload != null && payload.contains("\"eventType\""))
                .map(payload -> payload.replaceAll(".*\"eventType\":\"([^\"]+)\".*", "$1")).toList();
    }
}
