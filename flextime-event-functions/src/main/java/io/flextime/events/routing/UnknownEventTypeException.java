package io.flextime.events.routing;

/** An event type whose first segment names no FlexTime stream, or that has no schema. */
public class UnknownEventTypeException extends RuntimeException {

    private final String eventType;

    public UnknownEventTypeException(String eventType, String reason) {
        super("Unknown event type '" + eventType + "': " + reason);
        this.eventType = eventType;
    }

    public String getEventType() {
        return this.eventType;
    }
}
