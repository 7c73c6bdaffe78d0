package io.flextime.monitor.desktop;

import java.io.File;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import atlantafx.base.theme.PrimerLight;
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
import io.flextime.monitor.desktop.viewmodel.MonitorViewModel;
import io.flextime.streams.monitor.alert.AlertThresholds;

/**
 * The desktop monitor. Connects at once to the connection given by flags or {@code REDIS_STREAMS_*} variables
 * (default localhost:6379, database 1, prefix {@code flextime:stream:}). {@code --screenshot=<file.png>}
 * renders the whole window once it has two minutes of history, writes it and exits (how the README screenshot is
 * made).
 */
public class MonitorDesktopApp extends Application {

    private static final Duration POLL_INTERVAL = Duration.ofSeconds(2);

    private static final int SCREENSHOT_AFTER_PASSES = 60;

    private MonitorSession session;

    @Override
    public void start(Stage stage) {
        List<String> args = new ArrayList<>(getParameters().getRaw());
        String screenshot = args.stream().filter(arg -> arg.startsWith("--screenshot=")).findFirst()
                .map(arg -> arg.substring("--screenshot=".length())).orElse(null);
        args.removeIf(arg -> arg.startsWith("--screenshot="));
        ConnectionSettings settings = LaunchOptions.parse(args.toArray(new String[0]), System.getenv());
        Application.setUserAgentStylesheet(new PrimerLight().getUserAgentStylesheet());
        this.session = new MonitorSession(Clock.systemUTC(), AlertThresholds.defaults(), POLL_INTERVAL);
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

    @Override
    public void stop() {
        if (this.session != null) {
            this.session.close();
        }
    }
}
