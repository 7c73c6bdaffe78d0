package io.flextime.events.handlers;

import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;

import io.flextime.events.envelope.FlexTimeEvent;

/**
 * Watches the {@code system.*} events and keeps each service instance's last known state in the Redis hash
 * {@code flextime:{services}}: {@code up} after started or a passing check, {@code degraded} after a degraded one,
 * {@code down} after stopped, {@code unhealthy} after a failed check (logged as a warning, or an error when
 * critical). An event about another service ({@code data.service}) without {@code data.instance} is filed under
 * instance {@code -}: the instance in its {@code source} is the one that relayed it. Instances not heard of for
 * {@code flextime.state-retention} (by Redis' clock) are dropped whenever an instance starts or stops: pod names
 * come and go. An event older (by its {@code timestamp}) than the one an instance's state comes from changes
 * nothing: a replayed dead letter cannot mark a recovered instance unhealthy again.
 */
public class SystemHealthWatcher {

    public static final Set<String> TYPES = Set.of("system.*");

    /**
     * The instances' states. The three keys share the hash tag {@code {services}}: one script writes them all, which
     * Redis Cluster runs only on keys of one slot.
     */
    static final String KEY = "flextime:{services}";

    /** When each instance was last heard of, by Redis' clock (not the events' own times, which may be old). */
    static final String HEARD_FROM_KEY = "flextime:{services}:heard";

    /** The time (epoch µs, from the event) of the newest event applied for each instance. */
    static final String EVENT_TIMES_KEY = "flextime:{services}:event-times";

    /**
     * Records an instance's state and when it was heard of, unless the instance's state already comes from a newer
     * event; on request, drops the instances not heard of within the retention. One script, so an instance heard of
     * meanwhile by another service instance is never dropped.
     */
    /** What the script answers for an event older than the one the instance's state comes from. */
    private static final long OLDER_THAN_RECORDED = -1;

    private static final RedisScript<Long> RECORD_AND_PRUNE = RedisScript.of("""
            if ARGV[5] ~= '' then
              local newest = redis.call('HGET', KEYS[3], ARGV[1])
              if newest and tonumber(newest) > tonumber(ARGV[5]) then
                return -1
              end
              redis.call('HSET', KEYS[3], ARGV[1], ARGV[5])
            end
            local time = redis.call('TIME')
            local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
            redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
            redis.call('ZADD', KEYS[2], now, ARGV[1])
            if ARGV[4] ~= 'prune' then
              return 0
            end
            local stale = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', '(' .. (now - tonumber(ARGV[3])))
            for _, field in ipairs(stale) do
              redis.call('HDEL', KEYS[1], field)
              redis.call('HDEL', KEYS[3], field)
              redis.call('ZREM', KEYS[2], field)
            end
            return #stale
            """, Long.class);

    private static final Log logger = LogFactory.getLog(SystemHealthWatcher.class);

    private final StringRedisTemplate redis;

    private final JsonMapper jsonMapper;

    private final Duration retention;

    /** @throws IllegalArgumentException for a retention under one second */
    public SystemHealthWatcher(StringRedisTemplate redis, JsonMapper jsonMapper, Duration retention) {
        this.redis = redis;
        this.jsonMapper = jsonMapper;
        this.retention = HandlerSettings.atLeastOneSecond("state-retention", retention);
    }

    public void apply(FlexTimeEvent event) {
        Map<String, Object> data = event.data();
        boolean aboutItsSource = data.get("service") == null;
        String service = aboutItsSource ? event.source().service() : data.get("service").toString();
        String instance = data.get("instance") != null ? data.get("instance").toString()
                : aboutItsSource && event.source().instance() != null ? event.source().instance() : "-";
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("service", service);
        state.put("instance", instance);
        state.put("lastEvent", event.eventType());
        state.put("at", event.timestamp());
        switch (event.eventType()) {
            case "system.service.started" -> state.put("status", "up");
            case "system.service.stopped" -> state.put("status", "down");
            case "system.health.failed" -> {
                state.put("status", "unhealthy");
                state.put("check", data.get("check"));
                state.put("error", data.get("error"));
            }
            case "system.health.check" -> state.put("status", "failing".equals(data.get("status")) ? "unhealthy"
                    : "degraded".equals(data.get("status")) ? "degraded" : "up");
            default -> {
                return;
            }
        }
        Long recorded = this.redis.execute(RECORD_AND_PRUNE, List.of(KEY, HEARD_FROM_KEY, EVENT_TIMES_KEY),
                service + "/" + instance, this.jsonMapper.writeValueAsString(state),
                String.valueOf(this.retention.toMillis()), event.eventType().startsWith("system.service.") ? "prune" : "",
                EventTimes.microsArgument(event));
        if (recorded != null && recorded == OLDER_THAN_RECORDED) {
            logger.debug("Ignored " + event.eventType() + " " + event.eventId() + " for " + service + "/" + instance
                    + ": its state comes from a newer event");
        }
        else if ("system.health.failed".equals(event.eventType())) {
            // Only a failure that is news: a replayed old one would raise a stale alarm.
            String line = "Health check '" + data.get("check") + "' failed for " + service + "/" + instance + ": "
                    + data.get("error");
            if ("critical".equals(data.get("severity"))) {
                logger.error(line);
            }
            else {
                logger.warn(line);
            }
        }
    }

    /** Every instance's last known state, keyed {@code <service>/<instance>}. */
    @SuppressWarnings("unchecked")
    public Map<String, Map<String, Object>> services() {
        Map<String, Map<String, Object>> services = new HashMap<>();
        this.redis.opsForHash().entries(KEY).forEach((field, value) ->
                services.put(field.toString(), this.jsonMapper.readValue(value.toString(), Map.class)));
        return services;
    }
}
