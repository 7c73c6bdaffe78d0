package io.flextime.events.handlers;

import java.time.Duration;

/** Checks of the {@code flextime.*} durations the handlers keep state by. */
final class HandlerSettings {

    private HandlerSettings() {
    }

    /** @throws IllegalArgumentException naming {@code property}, for a duration under one second */
    static Duration atLeastOneSecond(String property, Duration value) {
        if (value == null || value.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("flextime." + property + " must be at least 1s, got " + value);
        }
        return value;
    }
}
