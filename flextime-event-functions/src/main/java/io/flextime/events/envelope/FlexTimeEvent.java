package io.flextime.events.envelope;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The standard FlexTime event envelope (brief, "Event Schema"). Its shape is defined by
 * {@code schemas/envelope.schema.json}; this record only carries it. {@code data} is checked against the
 * schema of {@code eventType}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FlexTimeEvent(String eventId, String eventType, String version, String timestamp, EventSource source,
        String correlationId, String causationId, String priority, Map<String, Object> data,
        Map<String, Object> metadata, List<String> tags) {

    /** Where an event comes from. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record EventSource(String service, String instance, String version, String userId) {
    }
}
