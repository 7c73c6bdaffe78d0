package io.flextime.events.handlers;

import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

import io.flextime.events.envelope.FlexTimeEvent;

/**
 * When an event happened, as the state scripts compare it: handler state follows the newest event, not the last
 * one handled, because a dead letter replayed after a fix, or an event delayed in another instance, arrives
 * after newer ones.
 */
final class EventTimes {

    private EventTimes() {
    }

    /**
     * The event's {@code timestamp} in epoch milliseconds, as the scripts' argument; empty when it is not an
     * RFC 3339 date-time (possible with {@code flextime.validate-on-receive} off), and then the event is applied
     * in the order handled, as it cannot be placed.
     */
    static String millisArgument(FlexTimeEvent event) {
        if (event.timestamp() == null) {
            return "";
        }
        try {
            return String.valueOf(OffsetDateTime.parse(event.timestamp()).toInstant().toEpochMilli());
        }
        catch (DateTimeParseException ex) {
            return "";
        }
    }
}
