package io.flextime.monitor.desktop;

import java.io.File;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

import javafx.application.Application;
import javafx.application.Platform;
import javafx.scene.Scene;
import javafx.stage.Stage;

import io.flextime.monitor.desktop.connection.ConfigFiles;
import io.flextime.monitor.desktop.connection.ConnectionSettings;
import io.flextime.monitor.desktop.connection.LaunchOptions;
import io.flextime.monitor.desktop.connection.MonitorSession;
import io.flextime.monitor.desktop.view.MainView;
import io.flextime.monitor.desktop.view.PngFiles;
import io.flextime.monitor.desktop.view.Themes;
import io.flextime.monitor.desktop.viewmodel.MonitorViewModel;
import io.flextime.streams.monitor.alert.AlertThresholds;

/**
 * The desktop monitor. Connects at once to the connection given by flags or {@code REDIS_STREAMS_*} variables
 * (default localhost:6379, database 1, prefix {@code flextime:stream:}). {@code --screenshot=<file.png>}
 * renders the whole window after 60 monitoring passes (two minutes at the default interval), writes it and
 * exits (how the README screenshot is made).
 */
public class MonitorDesktopApp extends Application {

    private static final int SCREENSHOT_AFTER_PASSES = 60;

    private static final String SCREENSHOT_FLAG = "--screenshot=";

    private MonitorSession session;

    @Override
    public void start(Stage stage) {
        List<String> args = getParameters().getRaw();
        String screenshot = args.stream().filter(arg -> arg.startsWith(SCREENSHOT_FLAG)).findFirst()
                .map(arg -> arg.substring(SCREENSHOT_FLAG.length())).orElse(null);
        ConnectionSettings settings = connection(args);
        Themes.apply(false);
        // Placeholders: MonitorViewModel applies the saved alert settings and interval before connecting.
        this.session = new MonitorSession(Clock.systemUTC(), AlertThresholds.defaults(), Duration.ofSeconds(2));
        MonitorViewModel model = new MonitorViewModel(Platform::runLater, this.session, ConfigFiles.forUser(System.getenv()),
                settings);
        MainView view = new MainView(model);
        stage.setTitle("FlexTime stream monitor");
        stage.setScene(new Scene(view, 1440, 900));
        stage.show();
        model.connection().connect();
        if (screenshot != null) {
            takeScreenshotAndExit(model, view, new File(screenshot));
        }
    }

    private void takeScreenshotAndExit(MonitorViewModel model, MainView view, File file) {
        int[] passes = { 0 };
        this.session.onSnapshot(snapshot -> {
            if (++passes[0] == SCREENSHOT_AFTER_PASSES) {
                Platform.runLater(() -> {
                    try {
                        PngFiles.write(view, file);
                        System.out.println("Dashboard written to " + file.getAbsolutePath());
                    }
                    catch (java.io.IOException ex) {
                        System.err.println("Could not write " + file + ": " + ex.getMessage());
                    }
                    Platform.exit();
                });
            }
        });
    }

    /** The connection the flags and {@code REDIS_STREAMS_*} variables name; the launcher validated them already. */
    static ConnectionSettings connection(List<String> args) {
        return LaunchOptions.parse(args.stream().filter(arg -> !arg.startsWith(SCREENSHOT_FLAG)).toArray(String[]::new),
                System.getenv());
    }

    @Override
    public void stop() {
        if (this.session != null) {
            this.session.close();
        }
    }
}
