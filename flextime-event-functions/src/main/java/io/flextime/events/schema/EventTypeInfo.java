package io.flextime.events.schema;

import tools.jackson.databind.JsonNode;

/**
 * What the schemas say about one event type.
 *
 * @param type e.g. {@code schedule.created}
 * @param stream the stream it is routed to
 * @param version the schema's {@code x-version}, written into every event's {@code version}
 * @param description the schema's description
 * @param schema the JSON Schema document itself
 */
public record EventTypeInfo(String type, String stream, String version, String description, JsonNode schema) {
}
