package io.flextime.monitor.desktop.viewmodel;


import io.flextime.monitor.desktop.connection.ConfigFiles;
import io.flextime.monitor.desktop.connection.ConnectionProfiles;
import io.flextime.monitor.desktop.connection.ConnectionSettings;
import io.flextime.monitor.desktop.connection.MonitorSession;
import io.flextime.streams.monitor.MetricsSummary;
import io.flextime.streams.monitor.MonitorHistory;
import io.flextime.streams.monitor.StreamMonitor;

/** Wires the session's snapshots, statuses and alerts into the screens' view models. */
public class MonitorViewModel {

    private final MonitorSession session;

    private final ConnectionViewModel connection;

    private final DashboardViewModel dashboard;

    private final StreamsViewModel streams;

    private final StreamDetailViewModel detail;

    private final AlertsViewModel alerts;

    private final SettingsViewModel settings;

    public MonitorViewModel(UiThread ui, MonitorSession session, ConfigFiles files, ConnectionSettings preselected) {
        this.session = session;
        this.settings = new SettingsViewModel(files, session);
        session.setThresholds(this.settings.thresholds());
        session.setInterval(this.settings.interval());
        this.connection = new ConnectionViewModel(ui, session, new ConnectionProfiles(files), preselected);
        this.dashboard = new DashboardViewModel(ui);
        this.streams = new StreamsViewModel(ui);
        this.detail = new StreamDetailViewModel(ui, session);
        this.alerts = new AlertsViewModel(ui);
        // The charts' time axis follows a new window at once, but their lines come from the history: draw them again
        // now rather than the old window's lines on the new axis until the next tick.
        this.dashboard.windowProperty().addListener((observable, old, fresh) -> session.redraw());
        session.onAlert(this.alerts::onAlert);
        session.onSnapshot(snapshot -> {
            StreamMonitor monitor = session.monitor();
            if (monitor == null) {
                // A new connection under way: nothing of the previous server stays on screen.
                this.dashboard.update(snapshot, MetricsSummary.empty(snapshot.at()),
                        new MonitorHistory(1), 0);
                this.streams.update(snapshot);
                this.detail.update(snapshot);
                this.alerts.clear();
                return;
            }
            MetricsSummary summary = monitor.summary();
            this.dashboard.update(snapshot, summary, monitor.history(), monitor.activeAlerts().size());
            this.streams.update(snapshot);
            this.detail.update(snapshot);
            this.alerts.update(monitor.activeAlerts(), monitor.alerts().history());
        });
    }

    public void refresh() {
        this.session.refresh();
    }

    public ConnectionViewModel connection() {
        return this.connection;
    }

    public DashboardViewModel dashboard() {
        return this.dashboard;
    }

    public StreamsViewModel streams() {
        return this.streams;
    }

    public StreamDetailViewModel detail() {
        return this.detail;
    }

    public AlertsViewModel alerts() {
        return this.alerts;
    }

    public SettingsViewModel settings() {
        return this.settings;
    }
}
