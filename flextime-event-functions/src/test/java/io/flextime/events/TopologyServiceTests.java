package io.flextime.events;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import io.flextime.events.handlers.SystemHealthWatcher;
import io.flextime.events.publish.FlexTimeEventPublisher;
import io.flextime.events.publish.PublishResult;
import io.flextime.streams.monitor.MonitorSnapshot;
import io.flextime.streams.monitor.StreamMonitor;
import io.flextime.streams.monitor.StreamSnapshot;
import io.flextime.streams.testing.RedisCluster;
import io.flextime.streams.testing.RedisSentinels;
import io.flextime.streams.testing.RedisServer;
import io.flextime.streams.testing.RedisServerOptions;
import io.flextime.streams.testing.TestCertificates;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The FlexTime service on a 3-master Redis Cluster, behind Sentinel, and over mutual TLS, each configured only
 * with Spring Boot's own {@code spring.data.redis.*} properties: the binder, the handlers' own keys and the
 * monitor all go through the application's connection factory.
 */
class TopologyServiceTests {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @Test
    void onARedisCluster() {
        try (RedisCluster cluster = RedisCluster.start(3, 0);
                ConfigurableApplicationContext app = start("--spring.data.redis.cluster.nodes="
                        + String.join(",", cluster.nodes()))) {
            publishAndSeeHandled(app);
            // The binder's policy, not Lettuce's one adaptive refresh per 30 s; the period is application.yml's.
            ClusterTopologyRefreshOptions refresh = ((ClusterClientOptions) app.getBean(LettuceConnectionFactory.class)
                    .getClientConfiguration().getClientOptions().orElseThrow()).getTopologyRefreshOptions();
            assertThat(refresh.getAdaptiveRefreshTimeout()).isEqualTo(Duration.ofSeconds(1));
            assertThat(refresh.getRefreshPeriod()).isEqualTo(Duration.ofSeconds(5));
            assertThat(refresh.isPeriodicRefreshEnabled()).isTrue();
        }
    }

    /** Also: at shutdown, connections and sentinel subscriptions the factory's stop has closed are not closed again. */
    @Test
    @ExtendWith(OutputCaptureExtension.class)
    void behindSentinel(CapturedOutput output) {
        try (RedisSentinels sentinels = RedisSentinels.start();
                ConfigurableApplicationContext app = start("--spring.data.redis.sentinel.master=" + RedisSentinels.MASTER_NAME,
                        "--spring.data.redis.sentinel.nodes=" + String.join(",", sentinels.sentinelNodes()))) {
            publishAndSeeHandled(app);
            app.close();
            assertThat(output.getOut()).doesNotContain("already closed");
        }
    }

    @Test
    void overMutualTls() {
        try (TestCertificates certificates = TestCertificates.generate();
                RedisServer redis = RedisServer.startProcess(RedisServerOptions.defaults().tls(certificates, true));
                ConfigurableApplicationContext app = start("--REDIS_STREAMS_HOST=127.0.0.1",
                        "--REDIS_STREAMS_PORT=" + redis.port(), "--spring.data.redis.ssl.enabled=true",
                        "--spring.data.redis.ssl.bundle=redis",
                        "--spring.ssl.bundle.pem.redis.truststore.certificate=file:" + certificates.caCertificate(),
                        "--spring.ssl.bundle.pem.redis.keystore.certificate=file:" + certificates.clientCertificate(),
                        "--spring.ssl.bundle.pem.redis.keystore.private-key=file:" + certificates.clientKey())) {
            publishAndSeeHandled(app);
        }
    }

    private static ConfigurableApplicationContext start(String... connection) {
        List<String> args = new ArrayList<>(List.of(connection));
        args.addAll(List.of("--REDIS_STREAMS_DB=0", "--spring.jmx.enabled=false",
                "--spring.cloud.stream.redis.default.consumer.block=200ms"));
        return new SpringApplicationBuilder(FlexTimeEventsApplication.class).web(WebApplicationType.NONE)
                .run(args.toArray(String[]::new));
    }

    private static void publishAndSeeHandled(ConfigurableApplicationContext app) {
        FlexTimeEventPublisher publisher = app.getBean(FlexTimeEventPublisher.class);
        for (int i = 0; i < 5; i++) {
            PublishResult result = publisher.publishScheduleCreated(Map.of("scheduleId", "s-" + UUID.randomUUID(),
                    "sport", "Basketball", "season", "2025-26", "teams", List.of("kansas", "baylor")));
            assertThat(result.status()).isEqualTo(PublishResult.PUBLISHED);
        }
        PublishResult game = publisher.publishGameScheduled(Map.of("gameId", "g-1", "scheduleId", "s-1",
                "homeTeam", "kansas", "awayTeam", "baylor", "startTime", "2026-01-10T19:00:00Z"));
        assertThat(game.status()).isEqualTo(PublishResult.PUBLISHED);

        // The health watcher's one script writes three keys: on a cluster they must share a slot.
        SystemHealthWatcher watcher = app.getBean(SystemHealthWatcher.class);
        publisher.publishSystemHealthCheck(Map.of("service", "topology-check", "instance", "i-1", "status", "degraded"));
        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(watcher.services().get("topology-check/i-1"))
                .containsEntry("status", "degraded"));

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
