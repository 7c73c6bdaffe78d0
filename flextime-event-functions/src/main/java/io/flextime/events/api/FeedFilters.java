package io.flextime.events.api;

import java.util.LinkedHashSet;
import java.util.Set;

import io.flextime.events.routing.EventRouting;

/**
 * Reads a live-feed client's {@code types} and {@code streams}, refusing a filter that names something the feed
 * never carries: a misspelt type or stream would otherwise leave the client waiting on a feed that stays silent.
 * A stream may be named with or without the key prefix, as in the URLs of the other endpoints.
 */
final class FeedFilters {

    private static final int SHOWN = 40;

    private final String prefix;

    private final Set<String> knownTypes;

    FeedFilters(String prefix, Set<String> knownTypes) {
        this.prefix = prefix;
        this.knownTypes = Set.copyOf(knownTypes);
    }

    /** @throws ApiProblem (400) naming the first type or stream the feed does not carry */
    LiveFeed.Filter parse(String types, String streams) {
        LiveFeed.Filter requested = LiveFeed.Filter.parse(types, streams);
        for (String type : requested.types()) {
            if (!isKnown(type)) {
                throw ApiProblem.badRequest("Unknown event type '" + shown(type) + "' in 'types'; GET /api/events/types lists them");
            }
        }
        Set<String> names = new LinkedHashSet<>();
        for (String stream : requested.streams()) {
            String name = stream.startsWith(this.prefix) ? stream.substring(this.prefix.length()) : stream;
            if (!EventRouting.STREAMS.contains(name)) {
                throw ApiProblem.badRequest("Unknown stream '" + shown(stream) + "' in 'streams'; the feed carries the seven "
                        + "*-events streams");
            }
            names.add(name);
        }
        return new LiveFeed.Filter(requested.types(), names);
    }

    /** A type, or a {@code segment.*} pattern that matches at least one type. */
    private boolean isKnown(String type) {
        if (type.endsWith(".*")) {
            String start = type.substring(0, type.length() - 1);
            return this.knownTypes.stream().anyMatch(known -> known.startsWith(start));
        }
        return this.knownTypes.contains(type);
    }

    private static String shown(String value) {
        return value.length() <= SHOWN ? value : value.substring(0, SHOWN) + "...";
    }
}
