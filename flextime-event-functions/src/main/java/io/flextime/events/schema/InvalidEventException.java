package io.flextime.events.schema;

import java.util.List;
import java.util.stream.Collectors;

/** An event that does not match its schemas. Carries every failing field, not just the first. */
public class InvalidEventException extends RuntimeException {

    private final String eventType;

    private final List<FieldError> errors;

    public InvalidEventException(String eventType, List<FieldError> errors) {
        super("Invalid " + (eventType == null ? "event" : "'" + eventType + "' event") + ": "
                + errors.stream().map(FieldError::toString).collect(Collectors.joining("; ")));
        this.eventType = eventType;
        this.errors = List.copyOf(errors);
    }

    public String getEventType() {
        return this.eventType;
    }

    public List<FieldError> getErrors() {
        return this.errors;
    }
}
