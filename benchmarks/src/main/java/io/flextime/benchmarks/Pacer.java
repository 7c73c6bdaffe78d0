package io.flextime.benchmarks;

import java.util.concurrent.locks.LockSupport;

/** Holds a producer to a fixed rate: event {@code i} goes out no earlier than {@code start + i / rate}. */
final class Pacer {

    private final long startNanos = System.nanoTime();

    private final double nanosPerEvent;

    /** {@code eventsPerSecond} of 0 means as fast as possible. */
    Pacer(int eventsPerSecond) {
        this.nanosPerEvent = eventsPerSecond <= 0 ? 0 : 1e9 / eventsPerSecond;
    }

    void awaitTurn(long index) {
        if (this.nanosPerEvent == 0) {
            return;
        }
        long due = this.startNanos + (long) (index * this.nanosPerEvent);
        long wait;
        while ((wait = due - System.nanoTime()) > 0) {
            LockSupport.parkNanos(wait);
        }
    }
}
