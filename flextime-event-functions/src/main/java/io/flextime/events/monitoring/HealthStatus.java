package io.flextime.events.monitoring;

import java.util.List;
import java.util.Map;

import io.flextime.streams.monitor.MetricsSummary;
import io.flextime.streams.monitor.alert.Alert;

/**
 * The brief's {@code getHealthStatus()}.
 *
 * @param status {@code healthy}; {@code degraded} while alerts fire; {@code unhealthy} while a critical alert
 * fires or the monitor cannot reach Redis
 * @param streamingEnabled {@code ENABLE_EVENT_STREAMING}
 * @param publisher events published so far, by outcome ({@code published}, {@code rejected}, {@code failed}, ...)
 * @param consumers events the handlers took, skipped and recognised as duplicates, by handler
 * @param monitor the monitor's latest totals; {@code null} before its first pass
 * @param activeAlerts the alerts firing now
 * @param monitorError why the last monitoring pass failed, or {@code null}
 */
public record HealthStatus(String status, boolean streamingEnabled, Map<String, Long> publisher,
        Map<String, Map<String, Long>> consumers, MetricsSummary monitor, List<Alert> activeAlerts, String monitorError) {
}
