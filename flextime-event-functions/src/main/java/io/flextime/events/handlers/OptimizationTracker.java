package io.flextime.events.handlers;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import tools.jackson.databind.json.JsonMapper;

import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;

import io.flextime.events.envelope.FlexTimeEvent;

/**
 * Keeps each optimization run's state, queryable by id from any instance: a Redis hash
 * {@code flextime:optimization:<id>} with status, progress, scheduleId, algorithm, score, error and result.
 * A late or replayed {@code started} or {@code progress} event never moves a finished run back to running, and an
 * event older than the newest applied one (by its {@code timestamp}) changes nothing: a replayed dead letter
 * cannot turn a completed run into a failed one. The checks and the write are one Lua script, so two handlers
 * racing on the same run cannot interleave them. A run's
 * state expires {@code flextime.state-retention} after its last event (any client may start runs, and each may
 * hold a result of up to the request size limit).
 */
public class OptimizationTracker {

    public static final Set<String> TYPES = Set.of("optimization.*");

    private static final String KEY_PREFIX = "flextime:optimization:";

    /** The field, as the script names it, with the newest applied event's time (epoch µs); not part of a run's state. */
    private static final String EVENT_TIME_FIELD = "eventTimeMicros";

    private static final RedisScript<Long> UPDATE_UNLESS_FINISHED_OR_OLDER = RedisScript.of("""
            local status = redis.call('HGET', KEYS[1], 'status')
            if ARGV[1] == 'running' and (status == 'completed' or status == 'failed') then
              return 0
            end
            if ARGV[3] ~= '' then
              local newest = redis.call('HGET', KEYS[1], 'eventTimeMicros')
              if newest and tonumber(newest) > tonumber(ARGV[3]) then
                return 0
              end
              redis.call('HSET', KEYS[1], 'eventTimeMicros', ARGV[3])
            end
            for i = 4, #ARGV, 2 do
              redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1])
            end
            redis.call('PEXPIRE', KEYS[1], ARGV[2])
            return 1
            """, Long.class);

    private final StringRedisTemplate redis;

    private final JsonMapper jsonMapper;

    private final Duration retention;

    /** @throws IllegalArgumentException for a retention under one second */
    public OptimizationTracker(StringRedisTemplate redis, JsonMapper jsonMapper, Duration retention) {
        this.redis = redis;
        this.jsonMapper = jsonMapper;
        this.retention = HandlerSettings.atLeastOneSecond("state-retention", retention);
    }

    public void apply(FlexTimeEvent event) {
        Map<String, Object> data = event.data();
        String key = KEY_PREFIX + data.get("optimizationId");
        Map<String, String> update = new HashMap<>();
        update.put("updatedAt", event.timestamp());
        copy(data, update, "scheduleId");
        switch (event.eventType()) {
            case "optimization.started" -> {
                update.put("status", "running");
                update.put("progress", "0");
                update.put("startedAt", event.timestamp());
                copy(data, update, "algorithm");
                if (data.get("parameters") != null) {
                    update.put("parameters", this.jsonMapper.writeValueAsString(data.get("parameters")));
                }
            }
            case "optimization.progress" -> {
                update.put("status", "running");
                copy(data, update, "progress");
                copy(data, update, "currentScore");
            }
            case "optimization.completed" -> {
                update.put("status", "completed");
                update.put("progress", "100");
                copy(data, update, "finalScore");
                copy(data, update, "durationMs");
                if (data.get("result") != null) {
                    update.put("result", this.jsonMapper.writeValueAsString(data.get("result")));
                }
            }
            case "optimization.failed" -> {
                update.put("status", "failed");
                copy(data, update, "error");
                copy(data, update, "durationMs");
            }
            default -> {
                return;
            }
        }
        List<String> arguments = new ArrayList<>();
        arguments.add(update.get("status"));
        arguments.add(String.valueOf(this.retention.toMillis()));
        arguments.add(EventTimes.microsArgument(event));
        update.forEach((field, value) -> {
            arguments.add(field);
            arguments.add(value);
        });
        this.redis.execute(UPDATE_UNLESS_FINISHED_OR_OLDER, List.of(key), arguments.toArray());
    }

    /** The run's state as stored, or empty for an unknown id. */
    public Optional<Map<String, String>> find(String optimizationId) {
        Map<Object, Object> stored = this.redis.opsForHash().entries(KEY_PREFIX + optimizationId);
        if (stored.isEmpty()) {
            return Optional.empty();
        }
        Map<String, String> run = new HashMap<>();
        stored.forEach((field, value) -> run.put(field.toString(), value.toString()));
        run.remove(EVENT_TIME_FIELD);
        run.put("optimizationId", optimizationId);
        return Optional.of(run);
    }

    private static void copy(Map<String, Object> data, Map<String, String> update, String field) {
        if (data.get(field) != null) {
            update.put(field, data.get(field).toString());
        }
    }
}
