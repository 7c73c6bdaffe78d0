package io.flextime.monitor.desktop.viewmodel;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import javafx.beans.property.BooleanProperty;
import javafx.beans.property.SimpleBooleanProperty;

import javafx.beans.property.DoubleProperty;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.LongProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleLongProperty;

import io.flextime.monitor.desktop.connection.ConfigFiles;
import io.flextime.monitor.desktop.connection.MonitorSession;
import io.flextime.streams.monitor.alert.AlertRules;
import io.flextime.streams.monitor.alert.AlertThresholds;

/** The alert settings dialog: thresholds, hysteresis, poll interval and which rules run, saved to {@code settings.json}. */
public class SettingsViewModel {

    static final String FILE = "settings.json";

    private final ConfigFiles files;

    private final MonitorSession session;

    private final LongProperty lagThreshold = new SimpleLongProperty();

    private final DoubleProperty errorRateThreshold = new SimpleDoubleProperty();

    private final LongProperty consumerIdleMs = new SimpleLongProperty();

    private final LongProperty stuckPendingMs = new SimpleLongProperty();

    private final LongProperty intervalMs = new SimpleLongProperty();

    private final IntegerProperty fireAfter = new SimpleIntegerProperty();

    private final IntegerProperty resolveAfter = new SimpleIntegerProperty();

    /** Every rule of the monitoring core by name, in its order, and whether it runs. */
    private final Map<String, BooleanProperty> rules = new LinkedHashMap<>();

    public SettingsViewModel(ConfigFiles files, MonitorSession session) {
        this.files = files;
        this.session = session;
        AlertRules.all().forEach(rule -> this.rules.put(rule.name(), new SimpleBooleanProperty(true)));
        revert();
    }

    /** Shows the saved settings again (or the defaults): a cancelled dialog changes nothing. */
    public void revert() {
        show(this.files.read(FILE, AlertSettings.class, AlertSettings.of(AlertThresholds.defaults()
                .withMonitoringInterval(Duration.ofSeconds(2))), AlertSettings::inRange));
    }

    /** The saved settings as thresholds (the window is ten poll intervals). */
    public AlertThresholds thresholds() {
        Duration interval = Duration.ofMillis(this.intervalMs.get());
        return AlertThresholds.defaults().withMonitoringInterval(interval).withWindow(interval.multipliedBy(10))
                .withLagThreshold(this.lagThreshold.get()).withErrorRateThreshold(this.errorRateThreshold.get())
                .withConsumerIdleThreshold(Duration.ofMillis(this.consumerIdleMs.get()))
                .withStuckPending(Duration.ofMillis(this.stuckPendingMs.get()))
                .withHysteresis(this.fireAfter.get(), this.resolveAfter.get()).withDisabledRules(disabledRules());
    }

    private Set<String> disabledRules() {
        return this.rules.entrySet().stream().filter(rule -> !rule.getValue().get()).map(Map.Entry::getKey)
                .collect(Collectors.toCollection(TreeSet::new));
    }

    public Duration interval() {
        return Duration.ofMillis(this.intervalMs.get());
    }

    /** Applies the edited values to the running monitor and saves them. */
    public void apply() {
        AlertSettings edited = new AlertSettings(this.lagThreshold.get(), this.errorRateThreshold.get(),
                this.consumerIdleMs.get(), this.stuckPendingMs.get(), this.intervalMs.get(), this.fireAfter.get(),
                this.resolveAfter.get(), List.copyOf(disabledRules()));
        if (!edited.inRange()) {
            throw new IllegalArgumentException("The interval must be at least 200 ms, fire/resolve after at least 1 pass, "
                    + "the error rate a fraction between 0 and 1, and no threshold negative");
        }
        this.session.setThresholds(thresholds());
        this.session.setInterval(interval());
        this.files.write(FILE, edited);
    }

    private void show(AlertSettings settings) {
        this.lagThreshold.set(settings.lagThreshold());
        this.errorRateThreshold.set(settings.errorRateThreshold());
        this.consumerIdleMs.set(settings.consumerIdleMs());
        this.stuckPendingMs.set(settings.stuckPendingMs());
        this.intervalMs.set(settings.intervalMs());
        this.fireAfter.set(settings.fireAfter());
        this.resolveAfter.set(settings.resolveAfter());
        this.rules.forEach((name, enabled) -> enabled.set(settings.disabledRules() == null
                || !settings.disabledRules().contains(name)));
    }

    /** Rule name to "runs", in the order the core evaluates them. */
    public Map<String, BooleanProperty> rules() {
        return Collections.unmodifiableMap(this.rules);
    }

    public LongProperty lagThresholdProperty() {
        return this.lagThreshold;
    }

    public DoubleProperty errorRateThresholdProperty() {
        return this.errorRateThreshold;
    }

    public LongProperty consumerIdleMsProperty() {
        return this.consumerIdleMs;
    }

    public LongProperty stuckPendingMsProperty() {
        return this.stuckPendingMs;
    }

    public LongProperty intervalMsProperty() {
        return this.intervalMs;
    }

    public IntegerProperty fireAfterProperty() {
        return this.fireAfter;
    }

    public IntegerProperty resolveAfterProperty() {
        return this.resolveAfter;
    }

    /** What {@code settings.json} holds. */
    public record AlertSettings(long lagThreshold, double errorRateThreshold, long consumerIdleMs, long stuckPendingMs,
            long intervalMs, int fireAfter, int resolveAfter, List<String> disabledRules) {

        /** What the dialog accepts; a saved file must hold the same. */
        boolean inRange() {
            return this.intervalMs >= 200 && this.fireAfter >= 1 && this.resolveAfter >= 1 && this.lagThreshold >= 0
                    // A fraction of the deliveries: above 1 the rule could never fire.
                    && this.errorRateThreshold >= 0 && this.errorRateThreshold <= 1 && this.consumerIdleMs >= 0
                    && this.stuckPendingMs >= 0;
        }

        static AlertSettings of(AlertThresholds thresholds) {
            return new AlertSettings(thresholds.lagThreshold(), thresholds.errorRateThreshold(),
                    thresholds.consumerIdleThreshold().toMillis(), thresholds.stuckPending().toMillis(),
                    thresholds.monitoringInterval().toMillis(), thresholds.fireAfter(), thresholds.resolveAfter(),
                    List.copyOf(thresholds.disabledRules()));
        }
    }
}
