package io.flextime.events.publish;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import tools.jackson.databind.json.JsonMapper;

import io.flextime.events.config.FlexTimeProperties;
import io.flextime.events.envelope.FlexTimeEvent;
import io.flextime.events.handlers.CurrentEvent;
import io.flextime.events.schema.EventSchemas;

/**
 * Builds complete, validated envelopes: id, timestamp, schema version, source from configuration, and
 * correlation and causation from the event being handled on this thread, if there is one.
 */
public class EventFactory {

    private final EventSchemas schemas;

    private final JsonMapper jsonMapper;

    private final FlexTimeProperties properties;

    private final Clock clock;

    public EventFactory(EventSchemas schemas, JsonMapper jsonMapper, FlexTimeProperties properties, Clock clock) {
        this.schemas = schemas;
        this.jsonMapper = jsonMapper;
        this.properties = properties;
        this.clock = clock;
    }

    /**
     * @throws io.flextime.events.routing.UnknownEventTypeException for a type without a stream or schema
     * @throws io.flextime.events.schema.InvalidEventException listing every failing field
     */
    @SuppressWarnings("unchecked")
    public FlexTimeEvent create(EventRequest request) {
        String version = this.schemas.type(request.eventType()).version();
        FlexTimeEvent cause = CurrentEvent.get().orElse(null);
        String correlationId = request.correlationId() != null ? request.correlationId()
                : cause == null ? null : cause.correlationId() != null ? cause.correlationId() : cause.eventId();
        String causationId = request.causationId() != null ? request.causationId() : cause == null ? null : cause.eventId();
        Map<String, Object> data = request.data() == null ? Map.of()
                : this.jsonMapper.convertValue(request.data(), LinkedHashMap.class);
        String eventId = request.eventId() != null ? request.eventId() : UUID.randomUUID().toString();
        FlexTimeEvent event = new FlexTimeEvent(eventId, request.eventType(), version,
                Instant.now(this.clock).toString(),
                new FlexTimeEvent.EventSource(this.properties.getServiceName(), this.properties.getInstance(),
                        this.properties.getServiceVersion(), request.userId()),
                correlationId, causationId, request.priority() == null ? "normal" : request.priority(), data,
                request.metadata(), request.tags());
        this.schemas.requireValid(event);
        return event;
    }
}
