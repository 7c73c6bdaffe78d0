package io.flextime.streams.monitor.alert;

/** The brief's {@code monitor.onAlert(alert => ...)}: told when an alert fires and when it resolves. */
@FunctionalInterface
public interface AlertListener {

    /** @param alert the alert; {@link Alert#isActive()} tells a firing from a resolution */
    void onAlert(Alert alert);
}
