package io.flextime.events;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.context.ConfigurableApplicationContext;

import io.flextime.events.handlers.SystemHealthWatcher;
import io.flextime.events.monitoring.FlexTimeHealth;
import io.flextime.events.monitoring.HealthStatus;
import io.flextime.events.publish.FlexTimeEventPublisher;
import io.flextime.streams.monitor.StreamMonitor;
import io.flextime.streams.testing.RedisServerExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The brief's getHealthStatus(): publisher, consumer and monitor totals from the running service. */
class HealthStatusTests {

    @RegisterExtension
    static final RedisServerExtension redisServer = new RedisServerExtension();

    @Test
    void healthStatusCombinesPublisherConsumerAndMonitorTotals() {
        try (FlexTimeTestApps support = new FlexTimeTestApps(redisServer.server())) {
            ConfigurableApplicationContext app = support.start("--MONITORING_INTERVAL=200", "--REDIS_MAX_STREAM_LENGTH=40000");
            FlexTimeEventPublisher publisher = app.getBean(FlexTimeEventPublisher.class);
            publisher.publishSystemHealthCheck(Map.of("test", true));
            publisher.publishEvent("system.health.check", Map.of("unexpected", 1));
            FlexTimeHealth health = app.getBean(FlexTimeHealth.class);

            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                HealthStatus status = health.getHealthStatus();
                assertThat(status.publisher()).containsEntry("rejected", 1L).containsKey("published");
                assertThat(status.consumers().get("auditTrail")).containsKey("handled");
                assertThat(status.monitor()).isNotNull();
                assertThat(status.monitor().streams()).isEqualTo(7);
                assertThat(status.monitorError()).isNull();
            });
            assertThat(health.getHealthStatus().status()).isIn("healthy", "degraded");
            assertThat(health.getHealthStatus().streamingEnabled()).isTrue();
            // The headroom alert knows the producers' MAXLEN.
            assertThat(app.getBean(StreamMonitor.class).alerts().thresholds().maxStreamLength()).isEqualTo(40_000L);
        }
    }

    /**
     * Instances not heard of for flextime.state-retention leave flextime:{services} when an instance next starts or
     * stops: pod names come and go, and their last states would otherwise stay for ever.
     */
    @Test
    void instancesNotHeardOfForTheRetentionAreDroppedWhenAnInstanceStartsOrStops() {
        try (FlexTimeTestApps support = new FlexTimeTestApps(redisServer.server())) {
            ConfigurableApplicationContext app = support.start("--flextime.state-retention=2s");
            FlexTimeEventPublisher publisher = app.getBean(FlexTimeEventPublisher.class);
            SystemHealthWatcher watcher = app.getBean(SystemHealthWatcher.class);
            publisher.publishEvent("system.service.stopped", Map.of("service", "retired", "instance", "pod-1"));
            await().atMost(Duration.ofSeconds(30)).until(() -> watcher.services().containsKey("retired/pod-1"));

            await().atMost(Duration.ofSeconds(30)).until(() -> {
                publisher.publishEvent("system.service.started", Map.of("service", "current", "instance", "pod-2"));
                return !watcher.services().containsKey("retired/pod-1") && watcher.services().containsKey("current/pod-2");
            });
            // Its newest event's time goes with it.
            assertThat(support.redis().hexists("flextime:{services}:event-times", "retired/pod-1")).isFalse();
            assertThat(support.redis().hexists("flextime:{services}:event-times", "current/pod-2")).isTrue();
        }
    }
}
