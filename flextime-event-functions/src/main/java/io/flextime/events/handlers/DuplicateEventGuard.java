package io.flextime.events.handlers;

import java.time.Duration;

import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * Remembers which events a handler has already taken, so that a redelivered event (at-least-once delivery)
 * has its effect once. {@code SET flextime:handled:<handler>:<eventId> NX EX <window>}: the first delivery
 * claims the id; a later one finds it taken. A handler that fails releases its claim, so a retry is not
 * mistaken for a duplicate.
 */
public class DuplicateEventGuard {

    private final StringRedisTemplate redis;

    private final Duration window;

    public DuplicateEventGuard(StringRedisTemplate redis, Duration window) {
        this.redis = redis;
        this.window = window;
    }

    /** Claims the event for the handler; {@code false} when it was already claimed within the window. */
    public boolean firstDelivery(String handler, String eventId) {
        return Boolean.TRUE.equals(this.redis.opsForValue().setIfAbsent(key(handler, eventId), "1", this.window));
    }

    /** Releases a claim after the handler failed. */
    public void release(String handler, String eventId) {
        this.redis.delete(key(handler, eventId));
    }

    private static String key(String handler, String eventId) {
        return "flextime:handled:" + handler + ":" + eventId;
    }
}
