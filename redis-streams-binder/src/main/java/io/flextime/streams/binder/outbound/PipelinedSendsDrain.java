package io.flextime.streams.binder.outbound;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.context.SmartLifecycle;

import io.flextime.streams.binder.metrics.BinderMetrics;

/**
 * Lets pipelined sends get their replies, and the binder's counters their last flush, before the application's
 * Lettuce connection factory stops. The factory stops at phase 0 and shuts its client down, which cancels every
 * command still awaiting a reply; Spring Cloud Stream stops output bindings only later (phase
 * {@code Integer.MIN_VALUE + 1000}), too late for their own wait. This bean lives in the application context, at
 * phase 1, and the binder's child context registers its producers and counters with it. A binder with a factory
 * of its own needs none of this: its factory closes with the binder's context, after the bindings.
 */
public final class PipelinedSendsDrain implements SmartLifecycle {

    /** Stops just before the connection factory's default phase 0. */
    public static final int PHASE = 1;

    private final Set<RedisStreamMessageHandler> producers = ConcurrentHashMap.newKeySet();

    private final Set<BinderMetrics> counters = ConcurrentHashMap.newKeySet();

    private volatile boolean running;

    void register(RedisStreamMessageHandler producer) {
        this.producers.add(producer);
    }

    void unregister(RedisStreamMessageHandler producer) {
        this.producers.remove(producer);
    }

    public void register(BinderMetrics metrics) {
        this.counters.add(metrics);
    }

    @Override
    public void start() {
        this.running = true;
    }

    /** Waits, within each producer's send timeout, for the replies still due, then flushes the counters. */
    @Override
    public void stop() {
        this.running = false;
        this.producers.forEach(RedisStreamMessageHandler::awaitReplies);
        this.counters.forEach(BinderMetrics::flushQuietly);
    }

    @Override
    public boolean isRunning() {
        return this.running;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }
}
