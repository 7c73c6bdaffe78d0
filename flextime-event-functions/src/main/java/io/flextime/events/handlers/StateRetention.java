package io.flextime.events.handlers;

import java.time.Duration;

/** {@code flextime.state-retention}, checked once for the handlers that keep state by it. */
final class StateRetention {

    private StateRetention() {
    }

    /** @throws IllegalArgumentException naming the property, for a retention under one second */
    static Duration require(Duration retention) {
        if (retention == null || retention.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("flextime.state-retention must be at least 1s, got " + retention);
        }
        return retention;
    }
}
