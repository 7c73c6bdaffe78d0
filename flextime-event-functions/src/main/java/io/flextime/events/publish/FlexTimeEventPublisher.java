package io.flextime.events.publish;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.micrometer.core.instrument.MeterRegistry;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import tools.jackson.core.JacksonException;

import org.springframework.cloud.stream.function.StreamBridge;
import org.springframework.messaging.Message;
import org.springframework.messaging.support.MessageBuilder;

import io.flextime.events.config.FlexTimeProperties;
import io.flextime.events.envelope.FlexTimeEvent;
import io.flextime.events.routing.EventRouting;
import io.flextime.events.routing.UnknownEventTypeException;
import io.flextime.events.schema.FieldError;
import io.flextime.events.schema.InvalidEventException;

/**
 * The brief's publisher API ({@code publishEvent}, {@code publishBatch}, {@code publishScheduleCreated}, ...)
 * on the binder. Every event is validated against its schemas before anything reaches Redis, routed to its
 * stream, and sent synchronously through {@link StreamBridge}, so the result carries the record id Redis
 * assigned. Nothing here throws for a bad event or an unreachable Redis: the {@link PublishResult} says what
 * happened and why.
 */
public class FlexTimeEventPublisher {

    /** Header with the event type on every entry, so consumers and people can see it without parsing the payload. */
    public static final String EVENT_TYPE_HEADER = "eventType";

    /** Header with the event id on every entry. */
    public static final String EVENT_ID_HEADER = "eventId";

    private static final Log logger = LogFactory.getLog(FlexTimeEventPublisher.class);

    private final EventFactory factory;

    private final StreamBridge streamBridge;

    private final SentRecordReceipts receipts;

    private final FlexTimeProperties properties;

    private final MeterRegistry meters;

    public FlexTimeEventPublisher(EventFactory factory, StreamBridge streamBridge, SentRecordReceipts receipts,
            FlexTimeProperties properties, MeterRegistry meters) {
        this.factory = factory;
        this.streamBridge = streamBridge;
        this.receipts = receipts;
        this.properties = properties;
        this.meters = meters;
        if (properties.getBatchTimeout() == null || properties.getBatchTimeout().toMillis() < 1) {
            throw new IllegalArgumentException("flextime.batch-timeout must be at least 1ms, got "
                    + properties.getBatchTimeout());
        }
    }

    public PublishResult publishEvent(String eventType, Object data) {
        return publish(EventRequest.of(eventType, data));
    }

    /** Publishes one event; every outcome is counted in {@code flextime.events.published{status=...}}. */
    public PublishResult publish(EventRequest request) {
        return counted(publishUncounted(request, null));
    }

    private PublishResult counted(PublishResult result) {
        this.meters.counter("flextime.events.published", "status", result.status()).increment();
        return result;
    }

    /** @param sendBy {@link System#nanoTime()} after which a valid event is failed rather than sent; null: no limit */
    private PublishResult publishUncounted(EventRequest request, Long sendBy) {
        if (request == null) {
            return new PublishResult(PublishResult.REJECTED, null, null, null, null, List.of(), "No event given");
        }
        FlexTimeEvent event;
        String stream = null;
        try {
            stream = EventRouting.streamFor(request.eventType());
            event = this.factory.create(request);
        }
        catch (UnknownEventTypeException ex) {
            return new PublishResult(PublishResult.REJECTED, null, request.eventType(), stream, null, List.of(), ex.getMessage());
        }
        catch (InvalidEventException ex) {
            return new PublishResult(PublishResult.REJECTED, null, request.eventType(), stream, null, ex.getErrors(),
                    ex.getMessage());
        }
        catch (IllegalArgumentException | JacksonException ex) {
            return new PublishResult(PublishResult.REJECTED, null, request.eventType(), stream, null,
                    List.of(new FieldError("$.data", "must be a JSON object")), "The event's data must be a JSON object");
        }
        if (!this.properties.isStreamingEnabled()) {
            return new PublishResult(PublishResult.STREAMING_DISABLED, event.eventId(), event.eventType(), stream, null,
                    List.of(), "Event streaming is disabled (ENABLE_EVENT_STREAMING=false); nothing was published");
        }
        if (sendBy != null && System.nanoTime() - sendBy > 0) {
            return new PublishResult(PublishResult.FAILED, event.eventId(), event.eventType(), stream, null, List.of(),
                    "Not sent: the batch ran out of its flextime.batch-timeout (" + this.properties.getBatchTimeout()
                            + ") before this event's turn; Redis may be slow or unreachable");
        }
        return send(stream, event);
    }

    /**
     * Publishes each event on its own: an invalid or failed one never holds back the others. Events whose turn comes
     * after {@code flextime.batch-timeout} are failed without being sent, so a hanging Redis cannot hold the caller
     * for a send-timeout per event.
     */
    public BatchResult publishBatch(List<EventRequest> requests) {
        long sendBy = System.nanoTime() + this.properties.getBatchTimeout().toNanos();
        List<PublishResult> results = new ArrayList<>(requests.size());
        for (EventRequest request : requests) {
            results.add(counted(publishUncounted(request, sendBy)));
        }
        return BatchResult.of(results);
    }

    /** The brief's {@code publishOptimizationStarted(optimizationId, scheduleId, algorithm, parameters)}. */
    public PublishResult publishOptimizationStarted(String optimizationId, String scheduleId, String algorithm,
            Map<String, Object> parameters) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("optimizationId", optimizationId);
        data.put("scheduleId", scheduleId);
        data.put("algorithm", algorithm);
        if (parameters != null) {
            data.put("parameters", parameters);
        }
        return publishEvent("optimization.started", data);
    }

    public PublishResult publishScheduleCreated(Object data) {
        return publishEvent("schedule.created", data);
    }

    public PublishResult publishScheduleUpdated(Object data) {
        return publishEvent("schedule.updated", data);
    }

    public PublishResult publishSchedulePublished(Object data) {
        return publishEvent("schedule.published", data);
    }

    public PublishResult publishScheduleDeleted(Object data) {
        return publishEvent("schedule.deleted", data);
    }

    public PublishResult publishGameScheduled(Object data) {
        return publishEvent("game.scheduled", data);
    }

    public PublishResult publishGameRescheduled(Object data) {
        return publishEvent("game.rescheduled", data);
    }

    public PublishResult publishGameCancelled(Object data) {
        return publishEvent("game.cancelled", data);
    }

    public PublishResult publishOptimizationStarted(Object data) {
        return publishEvent("optimization.started", data);
    }

    public PublishResult publishOptimizationProgress(Object data) {
        return publishEvent("optimization.progress", data);
    }

    public PublishResult publishOptimizationCompleted(Object data) {
        return publishEvent("optimization.completed", data);
    }

    public PublishResult publishOptimizationFailed(Object data) {
        return publishEvent("optimization.failed", data);
    }

    public PublishResult publishCompassTrainingStarted(Object data) {
        return publishEvent("compass.training.started", data);
    }

    public PublishResult publishCompassTrainingCompleted(Object data) {
        return publishEvent("compass.training.completed", data);
    }

    public PublishResult publishCompassPredictionRequested(Object data) {
        return publishEvent("compass.prediction.requested", data);
    }

    public PublishResult publishCompassPredictionCompleted(Object data) {
        return publishEvent("compass.prediction.completed", data);
    }

    public PublishResult publishSystemServiceStarted(Object data) {
        return publishEvent("system.service.started", data);
    }

    public PublishResult publishSystemServiceStopped(Object data) {
        return publishEvent("system.service.stopped", data);
    }

    public PublishResult publishSystemHealthFailed(Object data) {
        return publishEvent("system.health.failed", data);
    }

    public PublishResult publishSystemHealthCheck(Object data) {
        return publishEvent("system.health.check", data);
    }

    public PublishResult publishConstraintViolated(Object data) {
        return publishEvent("constraint.violated", data);
    }

    public PublishResult publishConstraintResolved(Object data) {
        return publishEvent("constraint.resolved", data);
    }

    public PublishResult publishNotificationRequested(Object data) {
        return publishEvent("notification.requested", data);
    }

    public PublishResult publishNotificationSent(Object data) {
        return publishEvent("notification.sent", data);
    }

    public PublishResult publishNotificationFailed(Object data) {
        return publishEvent("notification.failed", data);
    }

    /** The message for an event: the envelope as payload, and its type and id as headers (fields of the entry). */
    public static Message<FlexTimeEvent> toMessage(FlexTimeEvent event) {
        return MessageBuilder.withPayload(event)
                .setHeader(EVENT_TYPE_HEADER, event.eventType())
                .setHeader(EVENT_ID_HEADER, event.eventId())
                .build();
    }

    /**
     * Published only with Redis' record id in hand: the stream's binding sends synchronously and reports the id on
     * this thread (application.yml). After a timeout Redis may still have stored the event: "failed" means "not
     * confirmed".
     */
    private PublishResult send(String stream, FlexTimeEvent event) {
        Message<FlexTimeEvent> message = toMessage(event);
        String notConfirmed;
        try {
            this.receipts.take();
            boolean sent = this.streamBridge.send(stream, message);
            String recordId = this.receipts.take();
            if (sent && recordId != null) {
                return new PublishResult(PublishResult.PUBLISHED, event.eventId(), event.eventType(), stream, recordId,
                        List.of(), null);
            }
            notConfirmed = sent ? "no record id came back; the binding '" + stream + "' must send synchronously "
                    + "(producer.sync: true) and report to record-metadata-channel: flextimeSentRecords"
                    : "the binding did not take it";
        }
        catch (RuntimeException ex) {
            notConfirmed = rootMessage(ex);
        }
        logger.warn("Could not publish " + event.eventType() + " " + event.eventId() + " to " + stream + ": " + notConfirmed);
        return new PublishResult(PublishResult.FAILED, event.eventId(), event.eventType(), stream, null, List.of(),
                "Redis did not confirm the event (it may or may not be stored): " + notConfirmed);
    }

    private static String rootMessage(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage();
    }
}
