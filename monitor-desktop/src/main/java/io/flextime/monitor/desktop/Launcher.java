package io.flextime.monitor.desktop;

import javafx.application.Application;

/**
 * The entry point. A main class that is not itself an {@code Application} lets JavaFX start from a plain
 * class path (the JavaFX jars need not be modules).
 */
public final class Launcher {

    private Launcher() {
    }

    public static void main(String[] args) {
        Application.launch(MonitorDesktopApp.class, args);
    }
}
