package io.flextime.monitor.desktop.view;

import javafx.geometry.Insets;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.control.ToggleButton;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;

import io.flextime.monitor.desktop.viewmodel.MonitorViewModel;

/**
 * The main window's content: a toolbar (connect, refresh, settings, theme), a critical-alert banner, tabs
 * for the dashboard, streams and alerts, and the status bar. Shortcuts: F5 or Ctrl+R refresh, Ctrl+F
 * search streams, Ctrl+, settings.
 */
public class MainView extends BorderPane {

    private final DashboardView dashboard;

    public MainView(MonitorViewModel model) {
        setId("main");
        this.dashboard = new DashboardView(model.dashboard());
        StreamsView streams = new StreamsView(model.streams(), model.detail());
        TabPane tabs = new TabPane(new Tab("Dashboard", this.dashboard), new Tab("Streams", streams),
                new Tab("Alerts", new AlertsView(model.alerts())));
        tabs.setTabClosingPolicy(TabPane.TabClosingPolicy.UNAVAILABLE);
        tabs.setId("tabs");

        Button connect = new Button("Connect…");
        connect.setOnAction(event -> ConnectionDialog.show(getScene().getWindow(), model.connection()));
        Button refresh = new Button("Refresh");
        refresh.setId("refresh");
        refresh.setOnAction(event -> model.refresh());
        Button settings = new Button("Alert settings…");
        settings.setOnAction(event -> SettingsDialog.show(getScene().getWindow(), model.settings()));
        ToggleButton dark = new ToggleButton("Dark");
        dark.setId("dark-theme");
        dark.selectedProperty().addListener((observable, old, on) -> Themes.apply(on));
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        HBox toolbar = new HBox(8, connect, refresh, settings, spacer, dark);
        toolbar.setPadding(new Insets(8));

        Label banner = new Label();
        banner.setId("banner");
        banner.textProperty().bind(model.alerts().bannerProperty());
        banner.visibleProperty().bind(model.alerts().bannerProperty().isNotEmpty());
        banner.managedProperty().bind(banner.visibleProperty());
        banner.setMaxWidth(Double.MAX_VALUE);
        banner.setPadding(new Insets(6, 8, 6, 8));
        banner.setOnMouseClicked(event -> model.alerts().dismissBanner());

        Label status = new Label();
        status.setId("status");
        status.textProperty().bind(model.connection().statusProperty());
        status.setPadding(new Insets(4, 8, 4, 8));

        getStylesheets().add(MainView.class.getResource("monitor.css").toExternalForm());
        setTop(new VBox(toolbar, banner));
        setCenter(tabs);
        setBottom(status);

        sceneProperty().addListener((observable, old, scene) -> {
            if (scene != null) {
                addShortcuts(scene, model, tabs, streams);
            }
        });
    }

    private void addShortcuts(Scene scene, MonitorViewModel model, TabPane tabs, StreamsView streams) {
        scene.getAccelerators().put(new KeyCodeCombination(KeyCode.F5), model::refresh);
        scene.getAccelerators().put(new KeyCodeCombination(KeyCode.R, KeyCombination.SHORTCUT_DOWN), model::refresh);
        scene.getAccelerators().put(new KeyCodeCombination(KeyCode.F, KeyCombination.SHORTCUT_DOWN), () -> {
            tabs.getSelectionModel().select(1);
            streams.focusSearch();
        });
        scene.getAccelerators().put(new KeyCodeCombination(KeyCode.COMMA, KeyCombination.SHORTCUT_DOWN),
                () -> SettingsDialog.show(scene.getWindow(), model.settings()));
    }

    public DashboardView dashboard() {
        return this.dashboard;
    }
}
