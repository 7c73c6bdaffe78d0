package io.flextime.streams.monitor.alert;

import java.time.Instant;

/**
 * An alert, active ({@code resolvedAt == null}) or resolved.
 *
 * @param rule the rule that raised it, e.g. {@code consumer-lag}
 * @param severity warning or critical
 * @param stream the stream key, or {@code null}
 * @param group the group, or {@code null}
 * @param consumer the consumer, or {@code null}
 * @param value the measurement when it fired
 * @param threshold the threshold it crossed
 * @param message what is wrong
 * @param firedAt when it fired
 * @param resolvedAt when it resolved, or {@code null} while active
 */
public record Alert(String rule, Severity severity, String stream, String group, String consumer, double value,
        double threshold, String message, Instant firedAt, Instant resolvedAt) {

    public boolean isActive() {
        return this.resolvedAt == null;
    }

    Alert resolved(Instant at) {
        return new Alert(this.rule, this.severity, this.stream, this.group, this.consumer, this.value, this.threshold,
                this.message, this.firedAt, at);
    }
}
