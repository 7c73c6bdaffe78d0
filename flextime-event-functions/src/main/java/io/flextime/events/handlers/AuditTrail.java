package io.flextime.events.handlers;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import tools.jackson.databind.json.JsonMapper;

import org.springframework.data.redis.core.StringRedisTemplate;

import io.flextime.events.envelope.FlexTimeEvent;
import io.flextime.events.routing.EventRouting;

/**
 * The brief's audit logging: one line per event from every stream (who, what, when, which correlation), newest
 * first, in the Redis list {@code flextime:audit}, capped at {@code flextime.audit-max-entries}.
 */
public class AuditTrail {

    public static final Set<String> TYPES = Set.of("schedule.*", "game.*", "constraint.*", "optimization.*",
            "notification.*", "compass.*", "system.*");

    static final String KEY = "flextime:audit";

    private final StringRedisTemplate redis;

    private final JsonMapper jsonMapper;

    private final int maxEntries;

    /** @throws IllegalArgumentException for fewer than one entry kept: {@code LTRIM} would then keep them all */
    public AuditTrail(StringRedisTemplate redis, JsonMapper jsonMapper, int maxEntries) {
        if (maxEntries < 1) {
            throw new IllegalArgumentException("flextime.audit-max-entries must be at least 1, got " + maxEntries);
        }
        this.redis = redis;
        this.jsonMapper = jsonMapper;
        this.maxEntries = maxEntries;
    }

    public void record(FlexTimeEvent event) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("eventId", event.eventId());
        line.put("eventType", event.eventType());
        line.put("stream", EventRouting.streamFor(event.eventType()));
        line.put("timestamp", event.timestamp());
        line.put("source", event.source());
        line.put("correlationId", event.correlationId());
        line.put("priority", event.priority());
        this.redis.opsForList().leftPush(KEY, this.jsonMapper.writeValueAsString(line));
        this.redis.opsForList().trim(KEY, 0, this.maxEntries - 1L);
    }

    /** The newest {@code count} lines, newest first, as JSON. */
    public List<String> recent(int count) {
        List<String> lines = this.redis.opsForList().range(KEY, 0, count - 1L);
        return lines == null ? List.of() : lines;
    }
}
