package io.flextime.events.publish;

import java.util.List;
import java.util.Map;

/**
 * What a caller wants published; the envelope's other fields (id, timestamp, version, source) are filled in.
 *
 * @param eventId the id to give the event; {@code null} for a new random one. Handlers deriving an event
 * from another give it an id derived from the source, so a redelivery yields the same event.
 * @param eventType e.g. {@code schedule.created}
 * @param data the type-specific data: a map, or any object Jackson turns into one
 * @param correlationId defaults to the correlation of the event being handled, if any
 * @param causationId defaults to the id of the event being handled, if any
 * @param priority {@code low}, {@code normal} (default), {@code high} or {@code critical}
 * @param userId {@code source.userId}
 * @param metadata free-form metadata
 * @param tags free-form tags
 */
public record EventRequest(String eventId, String eventType, Object data, String correlationId, String causationId, String priority,
        String userId, Map<String, Object> metadata, List<String> tags) {

    public static EventRequest of(String eventType, Object data) {
        return new EventRequest(null, eventType, data, null, null, null, null, null, null);
    }

    public EventRequest withPriority(String newPriority) {
        return new EventRequest(this.eventId, this.eventType, this.data, this.correlationId, this.causationId, newPriority,
                this.userId, this.metadata, this.tags);
    }

    public EventRequest withCorrelationId(String newCorrelationId) {
        return new EventRequest(this.eventId, this.eventType, this.data, newCorrelationId, this.causationId, this.priority,
                this.userId, this.metadata, this.tags);
    }

    public EventRequest withUserId(String newUserId) {
        return new EventRequest(this.eventId, this.eventType, this.data, this.correlationId, this.causationId, this.priority,
                newUserId, this.metadata, this.tags);
    }

    public EventRequest withEventId(String newEventId) {
        return new EventRequest(newEventId, this.eventType, this.data, this.correlationId, this.causationId, this.priority,
                this.userId, this.metadata, this.tags);
    }
}
