package io.flextime.streams.monitor.alert;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import io.flextime.streams.monitor.MonitorHistory;
import io.flextime.streams.monitor.MonitorSnapshot;

/**
 * Evaluates the rules with hysteresis: an alert fires after {@code fireAfter} consecutive breaching
 * evaluations of its subject (rule, stream, group, consumer) and resolves after {@code resolveAfter}
 * consecutive clear ones. Listeners hear both; a bounded history keeps every fired alert, resolved or not.
 */
public class AlertEngine {

    private static final System.Logger LOGGER = System.getLogger(AlertEngine.class.getName());

    private final List<AlertRule> rules;

    private final int historyCapacity;

    private final List<AlertListener> listeners = new CopyOnWriteArrayList<>();

    private final Map<String, SubjectState> states = new HashMap<>();

    private final Deque<Alert> history = new ArrayDeque<>();

    private volatile AlertThresholds thresholds;

    public AlertEngine(List<AlertRule> rules, AlertThresholds thresholds, int historyCapacity) {
        this.rules = List.copyOf(rules);
        this.thresholds = thresholds;
        this.historyCapacity = historyCapacity;
    }

    public void onAlert(AlertListener listener) {
        this.listeners.add(listener);
    }

    public AlertThresholds thresholds() {
        return this.thresholds;
    }

    /** New thresholds apply from the next evaluation (e.g. edited in the desktop's settings). */
    public void setThresholds(AlertThresholds thresholds) {
        this.thresholds = thresholds;
    }

    public void evaluate(MonitorSnapshot snapshot, MonitorHistory history, Instant now) {
        AlertThresholds current = this.thresholds;
        List<Alert> changes = new ArrayList<>();
        synchronized (this) {
            Set<String> breachingNow = new HashSet<>();
            for (AlertRule rule : this.rules) {
                if (current.disabledRules().contains(rule.name())) {
                    continue;
                }
                for (Breach breach : rule.evaluate(snapshot, history, current, now.toEpochMilli())) {
                    String subject = breach.subject(rule.name());
                    breachingNow.add(subject);
                    SubjectState state = this.states.computeIfAbsent(subject, ignored -> new SubjectState());
                    state.clears = 0;
                    state.breaches++;
                    if (state.active == null && state.breaches >= current.fireAfter()) {
                        state.active = new Alert(rule.name(), rule.severity(), breach.stream(), breach.group(),
                                breach.consumer(), breach.value(), breach.threshold(), breach.message(), now, null);
                        remember(state.active);
                        changes.add(state.active);
                    }
                }
            }
            this.states.entrySet().removeIf(entry -> {
                if (breachingNow.contains(entry.getKey())) {
                    return false;
                }
                SubjectState state = entry.getValue();
                state.breaches = 0;
                state.clears++;
                if (state.active == null) {
                    return true;
                }
                if (state.clears >= current.resolveAfter()) {
                    Alert resolved = state.active.resolved(now);
                    replaceInHistory(state.active, resolved);
                    changes.add(resolved);
                    return true;
                }
                return false;
            });
        }
        changes.forEach(alert -> this.listeners.forEach(listener -> notify(listener, alert)));
    }

    /** A listener that throws (a pager that is down) neither keeps the alert from the others nor fails the pass. */
    private static void notify(AlertListener listener, Alert alert) {
        try {
            listener.onAlert(alert);
        }
        catch (RuntimeException ex) {
            LOGGER.log(System.Logger.Level.ERROR, "An alert listener failed on " + alert.rule() + ": " + ex, ex);
        }
    }

    public synchronized List<Alert> activeAlerts() {
        return this.states.values().stream().filter(state -> state.active != null).map(state -> state.active).toList();
    }

    /** Fired alerts, newest first, resolved ones with their resolution time. */
    public synchronized List<Alert> history() {
        return List.copyOf(this.history);
    }

    private void remember(Alert alert) {
        this.history.addFirst(alert);
        while (this.history.size() > this.historyCapacity) {
            this.history.removeLast();
        }
    }

    private void replaceInHistory(Alert active, Alert resolved) {
        List<Alert> copy = new ArrayList<>(this.history);
        int index = copy.indexOf(active);
        if (index >= 0) {
            copy.set(index, resolved);
            this.history.clear();
            this.history.addAll(copy);
        }
    }

    private static final class SubjectState {

        private int breaches;

        private int clears;

        private Alert active;
    }
}
