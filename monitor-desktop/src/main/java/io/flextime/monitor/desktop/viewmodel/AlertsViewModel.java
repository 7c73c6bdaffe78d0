package io.flextime.monitor.desktop.viewmodel;

import java.util.Comparator;
import java.util.List;

import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import io.flextime.streams.monitor.alert.Alert;
import io.flextime.streams.monitor.alert.Severity;

/**
 * Active alerts and the alert history, newest first; a newly fired critical alert also raises the banner,
 * which stays until dismissed.
 */
public class AlertsViewModel {

    private final UiThread ui;

    private final ObservableList<Alert> active = FXCollections.observableArrayList();

    private final ObservableList<Alert> history = FXCollections.observableArrayList();

    private final StringProperty banner = new SimpleStringProperty("");

    public AlertsViewModel(UiThread ui) {
        this.ui = ui;
    }

    /** The monitor's listener: a firing or a resolution. */
    public void onAlert(Alert alert) {
        if (alert.isActive() && alert.severity() == Severity.CRITICAL) {
            this.ui.execute(() -> this.banner.set("CRITICAL " + alert.rule() + ": " + alert.message()));
        }
    }

    /** After every pass: the engine's current active alerts and history. */
    public void update(List<Alert> activeAlerts, List<Alert> alertHistory) {
        Comparator<Alert> newestFirst = Comparator.comparing(Alert::firedAt).reversed();
        List<Alert> activeCopy = activeAlerts.stream().sorted(newestFirst).toList();
        List<Alert> historyCopy = alertHistory.stream().sorted(newestFirst).toList();
        this.ui.execute(() -> {
            this.active.setAll(activeCopy);
            this.history.setAll(historyCopy);
        });
    }

    /** Another server: its alerts and its banner must not stay on screen over the new one's data. */
    public void clear() {
        this.ui.execute(() -> {
            this.active.clear();
            this.history.clear();
            this.banner.set("");
        });
    }

    public void dismissBanner() {
        this.banner.set("");
    }

    public ObservableList<Alert> active() {
        return this.active;
    }

    public ObservableList<Alert> history() {
        return this.history;
    }

    public StringProperty bannerProperty() {
        return this.banner;
    }
}
