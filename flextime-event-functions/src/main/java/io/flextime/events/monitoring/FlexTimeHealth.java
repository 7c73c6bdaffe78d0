package io.flextime.events.monitoring;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.stereotype.Component;

import io.flextime.events.config.FlexTimeProperties;
import io.flextime.streams.monitor.StreamMonitor;
import io.flextime.streams.monitor.alert.Alert;
import io.flextime.streams.monitor.alert.Severity;

/** Puts together the brief's {@code getHealthStatus()}: publisher totals, consumer totals, monitor totals. */
@Component
public class FlexTimeHealth {

    private final MeterRegistry meters;

    private final StreamMonitor monitor;

    private final FlexTimeProperties properties;

    public FlexTimeHealth(MeterRegistry meters, StreamMonitor monitor, FlexTimeProperties properties) {
        this.meters = meters;
        this.monitor = monitor;
        this.properties = properties;
    }

    public HealthStatus getHealthStatus() {
        Map<String, Long> publisher = new TreeMap<>();
        for (Counter counter : this.meters.find("flextime.events.published").counters()) {
            publisher.put(counter.getId().getTag("status"), (long) counter.count());
        }
        Map<String, Map<String, Long>> consumers = new TreeMap<>();
        for (String outcome : List.of("handled", "skipped", "duplicates")) {
            for (Counter counter : this.meters.find("flextime.events." + outcome).counters()) {
                consumers.computeIfAbsent(counter.getId().getTag("handler"), ignored -> new TreeMap<>())
                        .put(outcome, (long) counter.count());
            }
        }
        List<Alert> alerts = this.monitor.activeAlerts();
        RuntimeException failure = this.monitor.lastFailure();
        String status = failure != null || alerts.stream().anyMatch(alert -> alert.severity() == Severity.CRITICAL)
                ? "unhealthy" : alerts.isEmpty() ? "healthy" : "degraded";
        return new HealthStatus(status, this.properties.isStreamingEnabled(), publisher, consumers, this.monitor.summary(),
                alerts, failure == null ? null : failure.getMessage());
    }
}
