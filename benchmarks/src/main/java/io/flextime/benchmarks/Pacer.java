package io.flextime.benchmarks;

import java.util.concurrent.locks.LockSupport;

/**
 * Holds a producer to a fixed rate: event {@code i} goes out no earlier than {@code start + i / rate}. The
 * returned stamp is when the event was due, not when it left: a stalled producer then shows in the latency
 * instead of hiding from it (no coordinated omission).
 *
 * <p>The clock starts at the first event, not when the pacer is made: a round set up before its full collection
 * (see {@link ResourceSampler#afterFullCollection()}) would otherwise stamp its first events as due during that
 * pause, charge the pause to their latency and send them in a burst. One producer thread per pacer.
 */
final class Pacer {

    private long startNanos;

    private boolean started;

    private final double nanosPerEvent;

    /** {@code eventsPerSecond} of 0 means as fast as possible. */
    Pacer(int eventsPerSecond) {
        this.nanosPerEvent = eventsPerSecond <= 0 ? 0 : 1e9 / eventsPerSecond;
    }

    long awaitTurn(long index) {
        if (this.nanosPerEvent == 0) {
            return System.nanoTime();
        }
        if (!this.started) {
            this.startNanos = System.nanoTime();
            this.started = true;
        }
        long due = this.startNanos + (long) (index * this.nanosPerEvent);
        long wait;
        while ((wait = due - System.nanoTime()) > 0) {
            LockSupport.parkNanos(wait);
        }
        return due;
    }
}
