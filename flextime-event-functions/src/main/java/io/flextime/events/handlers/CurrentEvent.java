package io.flextime.events.handlers;

import java.util.Optional;
import java.util.function.Supplier;

import io.flextime.events.envelope.FlexTimeEvent;

/**
 * The event a handler is working on, on the handler's thread, so that the events it publishes carry its
 * correlation id and name it as their cause.
 */
public final class CurrentEvent {

    private static final ThreadLocal<FlexTimeEvent> CURRENT = new ThreadLocal<>();

    private CurrentEvent() {
    }

    public static Optional<FlexTimeEvent> get() {
        return Optional.ofNullable(CURRENT.get());
    }

    static <T> T during(FlexTimeEvent event, Supplier<T> work) {
        FlexTimeEvent previous = CURRENT.get();
        CURRENT.set(event);
        try {
            return work.get();
        }
        finally {
            if (previous == null) {
                CURRENT.remove();
            }
            else {
                CURRENT.set(previous);
            }
        }
    }
}
