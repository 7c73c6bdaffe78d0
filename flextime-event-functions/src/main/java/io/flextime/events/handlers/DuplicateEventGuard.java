package io.flextime.events.handlers;

import java.time.Duration;

import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * Remembers which events a handler has finished, so that a redelivered event (at-least-once delivery) has
 * its effect once: {@code flextime:handled:<handler>:<eventId>} is set, with a TTL, only after the handler
 * succeeded. Marking after the effect, not before, means a crash in between repeats the effect on
 * redelivery instead of losing it: duplicates are possible in that narrow window, losses are not.
 */
public class DuplicateEventGuard {

    private final StringRedisTemplate redis;

    private final Duration window;

    /** @throws IllegalArgumentException for a window under one second: no event would ever be marked handled */
    public DuplicateEventGuard(StringRedisTemplate redis, Duration window) {
        this.redis = redis;
        this.window = HandlerSettings.atLeastOneSecond("duplicate-window", window);
    }

    public boolean alreadyHandled(String handler, String eventId) {
        return Boolean.TRUE.equals(this.redis.hasKey(key(handler, eventId)));
    }

    public void markHandled(String handler, String eventId) {
        this.redis.opsForValue().set(key(handler, eventId), "1", this.window);
    }

    private static String key(String handler, String eventId) {
        return "flextime:handled:" + handler + ":" + eventId;
    }
}
