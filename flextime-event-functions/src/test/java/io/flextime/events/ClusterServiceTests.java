package io.flextime.events;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import io.flextime.events.publish.FlexTimeEventPublisher;
import io.flextime.events.publish.PublishResult;
import io.flextime.streams.monitor.MonitorSnapshot;
import io.flextime.streams.monitor.StreamMonitor;
import io.flextime.streams.monitor.StreamSnapshot;
import io.flextime.streams.testing.RedisCluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The FlexTime service on a 3-master Redis Cluster, configured only with Spring Boot's
 * {@code spring.data.redis.cluster.nodes}: the binder, the handlers' own keys and the monitor all go through
 * the application's cluster connection.
 */
class ClusterServiceTests {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private static RedisCluster cluster;

    private static ConfigurableApplicationContext app;

    @BeforeAll
    static void start() {
        cluster = RedisCluster.start(3, 0);
        app = new SpringApplicationBuilder(FlexTimeEventsApplication.class).web(WebApplicationType.NONE)
                .run("--spring.data.redis.cluster.nodes=" + String.join(",", cluster.nodes()), "--REDIS_STREAMS_DB=0",
                        "--spring.jmx.enabled=false", "--spring.cloud.stream.redis.default.consumer.block=200ms");
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.close();
        }
        cluster.close();
    }

    @Test
    void eventsArePublishedHandledAndMonitoredAcrossTheShards() {
        FlexTimeEventPublisher publisher = app.getBean(FlexTimeEventPublisher.class);
        for (int i = 0; i < 5; i++) {
            PublishResult result = publisher.publishScheduleCreated(Map.of("scheduleId", "s-" + UUID.randomUUID(),
                    "sport", "Basketball", "season", "2025-26", "teams", List.of("kansas", "baylor")));
            assertThat(result.status()).isEqualTo(PublishResult.PUBLISHED);
        }
        PublishResult game = publisher.publishGameScheduled(Map.of("gameId", "g-1", "scheduleId", "s-1",
                "homeTeam", "kansas", "awayTeam", "baylor", "startTime", "2026-01-10T19:00:00Z"));
        assertThat(game.status()).isEqualTo(PublishResult.PUBLISHED);

        StreamMonitor monitor = app.getBean(StreamMonitor.class);
        await().atMost(TIMEOUT).untilAsserted(() -> {
            MonitorSnapshot snapshot = monitor.poll();
            assertThat(processed(snapshot, "schedule-events", "flextime-workers-notifications")).isEqualTo(5);
            assertThat(processed(snapshot, "game-events", "flextime-workers-notifications")).isEqualTo(1);
            assertThat(snapshot.streams()).extracting(StreamSnapshot::name).contains("notification-events");
        });
    }

    private static long processed(MonitorSnapshot snapshot, String stream, String group) {
        return snapshot.streams().stream().filter(candidate -> candidate.name().equals(stream))
                .flatMap(candidate -> candidate.groups().stream()).filter(candidate -> candidate.name().equals(group))
                .mapToLong(candidate -> candidate.counters().processed()).sum();
    }
}
