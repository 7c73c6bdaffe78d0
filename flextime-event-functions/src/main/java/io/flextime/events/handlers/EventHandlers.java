package io.flextime.events.handlers;

import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;

import io.micrometer.core.instrument.MeterRegistry;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.messaging.Message;

import io.flextime.events.config.FlexTimeProperties;
import io.flextime.events.envelope.FlexTimeEvent;
import io.flextime.events.schema.EventSchemas;
import io.flextime.events.schema.FieldError;
import io.flextime.events.schema.InvalidEventException;

/**
 * Turns a piece of handler logic into a function bean that behaves like a FlexTime handler. It takes the
 * entry's raw JSON, so that validation sees exactly what arrived:
 * <ol>
 *   <li>with {@code flextime.validate-on-receive}, an event that is not JSON or breaks its schemas is refused
 *   ({@link InvalidEventException}, configured as not retryable, so it goes to the dead-letter stream);</li>
 *   <li>only the event types the handler names ({@code game.cancelled}, or {@code optimization.*}) reach the
 *   logic; other types on the same stream are acknowledged and skipped, and counted in
 *   {@code flextime.events.skipped};</li>
 *   <li>an event the handler already finished (a redelivery) is skipped and counted in
 *   {@code flextime.events.duplicates};</li>
 *   <li>events published while the logic runs carry the event's correlation id and name it as their cause.</li>
 * </ol>
 */
public class EventHandlers {

    private static final Log logger = LogFactory.getLog(EventHandlers.class);

    private final EventSchemas schemas;

    private final DuplicateEventGuard guard;

    private final MeterRegistry meters;

    private final FlexTimeProperties properties;

    private final JsonMapper jsonMapper;

    public EventHandlers(EventSchemas schemas, DuplicateEventGuard guard, MeterRegistry meters,
            FlexTimeProperties properties, JsonMapper jsonMapper) {
        this.schemas = schemas;
        this.guard = guard;
        this.meters = meters;
        this.properties = properties;
        this.jsonMapper = jsonMapper;
    }

    /** A consumer whose effect is remembered per event id, so a redelivery has none. */
    public Consumer<Message<byte[]>> consumer(String name, Set<String> types, Consumer<FlexTimeEvent> logic) {
        return message -> {
            FlexTimeEvent event = accept(name, types, message);
            if (event == null) {
                return;
            }
            if (this.guard.alreadyHandled(name, event.eventId())) {
                this.meters.counter("flextime.events.duplicates", "handler", name).increment();
                logger.debug("Handler " + name + " skipped redelivered event " + event.eventId());
                return;
            }
            CurrentEvent.during(event, () -> {
                logic.accept(event);
                return null;
            });
            this.guard.markHandled(name, event.eventId());
            this.meters.counter("flextime.events.handled", "handler", name).increment();
        };
    }

    /**
     * A function. Its only effect is its output, which the binder sends after it returns, so it has no
     * duplicate guard: it must derive its output deterministically (ids included) from the input, so that
     * a redelivery yields the same event, which downstream handlers then recognise.
     * @return a function that yields {@code null} (nothing sent) for skipped events
     */
    public <R> Function<Message<byte[]>, R> function(String name, Set<String> types, Function<FlexTimeEvent, R> logic) {
        return message -> {
            FlexTimeEvent event = accept(name, types, message);
            if (event == null) {
                return null;
            }
            R result = CurrentEvent.during(event, () -> logic.apply(event));
            this.meters.counter("flextime.events.handled", "handler", name).increment();
            return result;
        };
    }

    /** The event if this handler takes it; {@code null} for a type it skips. */
    private FlexTimeEvent accept(String name, Set<String> types, Message<byte[]> message) {
        JsonNode json;
        try {
            json = this.jsonMapper.readTree(message.getPayload());
        }
        catch (JacksonException ex) {
            throw new InvalidEventException(null, List.of(new FieldError("$", "not JSON: " + ex.getOriginalMessage())));
        }
        if (this.properties.isValidateOnReceive()) {
            this.schemas.requireValid(json);
        }
        String type = json.path("eventType").asString(null);
        if (!accepts(types, type)) {
            this.meters.counter("flextime.events.skipped", "handler", name).increment();
            return null;
        }
        return this.jsonMapper.treeToValue(json, FlexTimeEvent.class);
    }

    /** Whether {@code eventType} is one of {@code types}, where {@code x.*} stands for every type starting with {@code x.}. */
    public static boolean accepts(Set<String> types, String eventType) {
        if (eventType == null) {
            return false;
        }
        for (String type : types) {
            if (type.endsWith(".*") ? eventType.startsWith(type.substring(0, type.length() - 1)) : type.equals(eventType)) {
                return true;
            }
        }
        return false;
    }
}
