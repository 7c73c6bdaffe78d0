package io.flextime.monitor.desktop.viewmodel;

import java.util.concurrent.Executor;

/**
 * Where view models change their properties: the JavaFX thread in the application ({@code Platform::runLater}),
 * the calling thread in tests. Redis I/O never runs here.
 */
@FunctionalInterface
public interface UiThread extends Executor {

    static UiThread direct() {
        return Runnable::run;
    }
}
