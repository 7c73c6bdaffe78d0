package io.flextime.streams.monitor.alert;

import java.util.List;

import io.flextime.streams.monitor.MonitorHistory;
import io.flextime.streams.monitor.MonitorSnapshot;

/** One kind of alert: looks at a snapshot (and the history it joined) and names what breaches. */
public interface AlertRule {

    String name();

    Severity severity();

    /**
     * @param snapshot the latest pass, already recorded into {@code history}
     * @param nowMillis the evaluation time (the monitor's clock)
     */
    List<Breach> evaluate(MonitorSnapshot snapshot, MonitorHistory history, AlertThresholds thresholds, long nowMillis);
}
