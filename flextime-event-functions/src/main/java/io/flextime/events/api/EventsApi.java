package io.flextime.events.api;

import java.util.List;
import java.util.Map;

import tools.jackson.databind.JsonNode;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

import io.flextime.events.publish.BatchResult;
import io.flextime.events.publish.EventRequest;
import io.flextime.events.publish.FlexTimeEventPublisher;
import io.flextime.events.publish.PublishResult;
import io.flextime.events.routing.UnknownEventTypeException;
import io.flextime.events.schema.EventSchemas;
import io.flextime.events.schema.InvalidEventException;

/** The brief's Event Management endpoints, through the publisher facade (full schema validation), and the SSE feed. */
@RestController
public class EventsApi {

    static final int MAX_BATCH = 500;

    private final FlexTimeEventPublisher publisher;

    private final EventSchemas schemas;

    private final LiveFeed liveFeed;

    private final FeedFilters feedFilters;

    public EventsApi(FlexTimeEventPublisher publisher, EventSchemas schemas, LiveFeed liveFeed, FeedFilters feedFilters) {
        this.publisher = publisher;
        this.schemas = schemas;
        this.liveFeed = liveFeed;
        this.feedFilters = feedFilters;
    }

    /** 201 with the event id, stream and record id; 400 listing every failing field; 503 when Redis or streaming is off. */
    @PostMapping("/api/events/publish")
    ResponseEntity<PublishResult> publish(@RequestBody EventRequest request) {
        PublishResult result = this.publisher.publish(request);
        return switch (result.status()) {
            case PublishResult.PUBLISHED -> ResponseEntity.status(HttpStatus.CREATED).body(result);
            case PublishResult.REJECTED -> throw rejected(request, result);
            default -> throw new ApiProblem(HttpStatus.SERVICE_UNAVAILABLE, result.message());
        };
    }

    /** 200 with one outcome per event, in order; the valid ones are published whatever the others do. */
    @PostMapping("/api/events/publish/batch")
    BatchResult publishBatch(@RequestBody BatchRequest batch) {
        if (batch.events() == null || batch.events().isEmpty()) {
            throw ApiProblem.badRequest("Send {\"events\": [ ... ]} with 1 to " + MAX_BATCH + " events");
        }
        if (batch.events().size() > MAX_BATCH) {
            throw new ApiProblem(HttpStatus.CONTENT_TOO_LARGE, "At most " + MAX_BATCH + " events per batch, got "
                    + batch.events().size());
        }
        return this.publisher.publishBatch(batch.events());
    }

    @GetMapping("/api/events/types")
    List<Map<String, String>> types() {
        return this.schemas.types().values().stream().map(info -> Map.of("type", info.type(), "stream", info.stream(),
                "version", info.version(), "description", info.description())).toList();
    }

    @GetMapping("/api/events/schema/{type}")
    JsonNode schema(@PathVariable String type) {
        try {
            return this.schemas.type(type).schema();
        }
        catch (UnknownEventTypeException ex) {
            throw ApiProblem.notFound(ex.getMessage() + "; GET /api/events/types lists them");
        }
    }

    /**
     * Server-Sent Events: every event as it is published, filtered by {@code types} and {@code streams}; 400 for a
     * type or stream the feed never carries.
     */
    @GetMapping(path = "/api/events/stream", produces = "text/event-stream")
    SseEmitter stream(@RequestParam(required = false) String types, @RequestParam(required = false) String streams) {
        return this.liveFeed.subscribeSse(this.feedFilters.parse(types, streams));
    }

    private static InvalidEventException rejected(EventRequest request, PublishResult result) {
        if (result.errors().isEmpty()) {
            return new InvalidEventException(request.eventType(),
                    List.of(new io.flextime.events.schema.FieldError("$.eventType", result.message())));
        }
        return new InvalidEventException(request.eventType(), result.errors());
    }

    /** The batch body: {@code {"events": [ {eventType, data, ...}, ... ]}}. */
    record BatchRequest(List<EventRequest> events) {
    }
}
