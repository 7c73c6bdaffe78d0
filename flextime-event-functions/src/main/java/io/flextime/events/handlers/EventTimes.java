package io.flextime.events.handlers;

import java.time.Instant;
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
     * The event's {@code timestamp} in epoch microseconds, as the scripts' argument: the publisher's timestamps
     * carry nanoseconds, and two events published back to back fall in one millisecond. Microseconds since 1970
     * stay below 2^53, exact in Lua's numbers, until the year 2255. Empty when the timestamp is not an RFC 3339
     * date-time (possible with {@code flextime.validate-on-receive} off): the event is then applied in the order
     * handled, as it cannot be placed.
     */
    static String microsArgument(FlexTimeEvent event) {
        if (event.timestamp() == null) {
            return "";
        }
        try {
            Instant at = OffsetDateTime.parse(event.timestamp()).toInstant();
            return String.valueOf(Math.addExact(Math.multiplyExact(at.getEpochSecond(), 1_000_000L), at.getNano() / 1_000));
        }
        catch (DateTimeParseException | ArithmeticException ex) {
            return "";
        }
    }
}
