package io.flextime.events.handlers;

import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;

import io.micrometer.core.instrument.MeterRegistry;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import io.flextime.events.config.FlexTimeProperties;
import io.flextime.events.envelope.FlexTimeEvent;
import io.flextime.events.schema.EventSchemas;

/**
 * Turns a piece of handler logic into a function bean that behaves like a FlexTime handler:
 * <ul>
 *   <li>it takes only the event types it names ({@code game.cancelled}, or {@code optimization.*}); other
 *   types on the same stream are acknowledged and skipped, and counted in {@code flextime.events.skipped};</li>
 *   <li>with {@code flextime.validate-on-receive} an event that breaks its schema is refused before the
 *   logic sees it ({@link io.flextime.events.schema.InvalidEventException}, not retried, so it goes to the
 *   dead-letter stream);</li>
 *   <li>a redelivered event is recognised by its id and skipped ({@code flextime.events.duplicates});</li>
 *   <li>events published while it runs carry its correlation id and name it as their cause.</li>
 * </ul>
 */
public class EventHandlers {

    private static final Log logger = LogFactory.getLog(EventHandlers.class);

    private final EventSchemas schemas;

    private final DuplicateEventGuard guard;

    private final MeterRegistry meters;

    private final FlexTimeProperties properties;

    public EventHandlers(EventSchemas schemas, DuplicateEventGuard guard, MeterRegistry meters,
            FlexTimeProperties properties) {
        this.schemas = schemas;
        this.guard = guard;
        this.meters = meters;
        this.properties = properties;
    }

    public Consumer<FlexTimeEvent> consumer(String name, Set<String> types, Consumer<FlexTimeEvent> logic) {
        Function<FlexTimeEvent, Object> asFunction = function(name, types, event -> {
            logic.accept(event);
            return null;
        });
        return asFunction::apply;
    }

    /** @return a function that yields {@code null} (nothing sent) for skipped events */
    public <R> Function<FlexTimeEvent, R> function(String name, Set<String> types, Function<FlexTimeEvent, R> logic) {
        return event -> {
            if (!accepts(types, event.eventType())) {
                this.meters.counter("flextime.events.skipped", "handler", name).increment();
                return null;
            }
            if (this.properties.isValidateOnReceive()) {
                this.schemas.requireValid(event);
            }
            if (!this.guard.firstDelivery(name, event.eventId())) {
                this.meters.counter("flextime.events.duplicates", "handler", name).increment();
                logger.debug("Handler " + name + " skipped redelivered event " + event.eventId());
                return null;
            }
            try {
                R result = CurrentEvent.during(event, () -> logic.apply(event));
                this.meters.counter("flextime.events.handled", "handler", name).increment();
                return result;
            }
            catch (RuntimeException ex) {
                this.guard.release(name, event.eventId());
                throw ex;
            }
        };
    }

    static boolean accepts(Set<String> types, String eventType) {
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
