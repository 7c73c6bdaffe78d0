package io.flextime.events.api;

import java.util.List;
import java.util.Map;

import io.lettuce.core.api.StatefulRedisConnection;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import io.flextime.events.monitoring.FlexTimeHealth;
import io.flextime.events.monitoring.HealthStatus;
import io.flextime.streams.monitor.MetricsSummary;
import io.flextime.streams.monitor.StreamMonitor;
import io.flextime.streams.monitor.alert.Alert;

/** The brief's Health and Monitoring endpoints, served from the monitoring core. */
@RestController
public class MonitoringApi {

    private final FlexTimeHealth health;

    private final StreamMonitor monitor;

    private final StatefulRedisConnection<String, String> redis;

    public MonitoringApi(FlexTimeHealth health, StreamMonitor monitor, StatefulRedisConnection<String, String> streamsConnection) {
        this.health = health;
        this.monitor = monitor;
        this.redis = streamsConnection;
    }

    /** Open to everyone, so it says only UP or DOWN; the details are behind the key at /api/metrics. */
    @GetMapping("/health")
    ResponseEntity<Map<String, String>> health() {
        try {
            this.redis.sync().ping();
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
