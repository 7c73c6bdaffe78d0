package io.flextime.events.api;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.lettuce.core.LettuceFutures;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import io.flextime.events.monitoring.FlexTimeHealth;
import io.flextime.events.monitoring.HealthStatus;
import io.flextime.streams.monitor.MetricsSummary;
import io.flextime.streams.monitor.StreamMonitor;
import io.flextime.streams.monitor.TextConnection;
import io.flextime.streams.monitor.alert.Alert;

/** The brief's Health and Monitoring endpoints, served from the monitoring core. */
@RestController
public class MonitoringApi {

    /** A load balancer's probe gives up within seconds; answering DOWN sooner is more useful than hanging. */
    private static final Duration PING_TIMEOUT = Duration.ofSeconds(5);

    private final FlexTimeHealth health;

    private final StreamMonitor monitor;

    private final TextConnection redis;

    public MonitoringApi(FlexTimeHealth health, StreamMonitor monitor, TextConnection streamsConnection) {
        this.health = health;
        this.monitor = monitor;
        this.redis = streamsConnection;
    }

    /** Open to everyone, so it says only UP or DOWN; the details are behind the key at /api/metrics. */
    @GetMapping("/health")
    ResponseEntity<Map<String, String>> health() {
        try {
            // Unchecked on timeout, failure or interrupt (which it restores), and cancels a ping left waiting.
            LettuceFutures.awaitOrCancel(this.redis.async().ping(), PING_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            return ResponseEntity.ok(Map.of("status", "UP"));
        }
        catch (RuntimeException ex) {
            return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).body(Map.of("status", "DOWN"));
        }
    }

    /** The brief's getHealthStatus(): publisher, handler and monitor totals, alerts. */
    @GetMapping("/api/metrics")
    HealthStatus metrics() {
        return this.health.getHealthStatus();
    }

    @GetMapping("/api/metrics/summary")
    MetricsSummary summary() {
        MetricsSummary summary = this.monitor.summary();
        if (summary == null) {
            throw new ApiProblem(HttpStatus.SERVICE_UNAVAILABLE, "The monitor has not completed a pass yet"
                    + (this.monitor.lastFailure() == null ? "; try again in a moment" : ": " + this.monitor.lastFailure().getMessage()));
        }
        return summary;
    }

    @GetMapping("/api/metrics/alerts")
    Map<String, List<Alert>> alerts() {
        return Map.of("active", this.monitor.activeAlerts(), "history", this.monitor.alerts().history());
    }
}
