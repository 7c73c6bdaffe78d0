package io.flextime.monitor.desktop;

import java.util.List;

import javafx.application.Application;

/**
 * The entry point. A main class that is not itself an {@code Application} lets JavaFX start from a plain
 * class path (the JavaFX jars need not be modules).
 */
public final class Launcher {

    private Launcher() {
    }

    public static void main(String[] args) {
        try {
            // Checked before any window opens: a typo in a flag is a message and exit code 2, not a stack trace.
            MonitorDesktopApp.connection(List.of(args));
        }
        catch (IllegalArgumentException ex) {
            System.err.println(ex.getMessage());
            System.exit(2);
        }
        Application.launch(MonitorDesktopApp.class, args);
    }
}
