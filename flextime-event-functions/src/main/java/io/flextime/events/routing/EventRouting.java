package io.flextime.events.routing;

import java.util.List;
import java.util.Map;

/**
 * Which stream an event type goes to: its first segment picks one of the seven FlexTime streams
 * ({@code schedule.*} to {@code schedule-events}, and so on). The binder adds the key prefix
 * ({@code REDIS_STREAMS_PREFIX}, default {@code flextime:stream:}).
 */
public final class EventRouting {

    private static final Map<String, String> STREAMS_BY_SEGMENT = Map.of(
            "schedule", "schedule-events",
            "game", "game-events",
            "constraint", "constraint-events",
            "optimization", "optimization-events",
            "notification", "notification-events",
            "compass", "compass-events",
            "system", "system-events");

    /** The seven streams, in the brief's order. */
    public static final List<String> STREAMS = List.of("schedule-events", "game-events", "constraint-events",
            "optimization-events", "notification-events", "compass-events", "system-events");

    private EventRouting() {
    }

    public static String streamFor(String eventType) {
        if (eventType == null || eventType.isBlank()) {
            throw new UnknownEventTypeException(String.valueOf(eventType), "an event type is required");
        }
        int dot = eventType.indexOf('.');
        String segment = dot < 0 ? eventType : eventType.substring(0, dot);
        String stream = STREAMS_BY_SEGMENT.get(segment);
        if (stream == null) {
            throw new UnknownEventTypeException(eventType, "its first segment '" + segment
                    + "' is none of " + STREAMS_BY_SEGMENT.keySet().stream().sorted().toList());
        }
        return stream;
    }
}
