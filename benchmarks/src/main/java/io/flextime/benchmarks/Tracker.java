package io.flextime.benchmarks;

import java.time.Duration;
import java.util.BitSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * What the consuming side of one round saw: which sequence numbers arrived (so loss and duplicates are counted,
 * not assumed) and the publish-to-handler latency of each, in microseconds. Producer and consumer share one JVM,
 * so {@code System.nanoTime()} stamps compare. Every round has its own number, carried by its events: a late
 * event of an earlier round is not counted here (it would otherwise fill a gap and hide a loss).
 */
final class Tracker {

    private static final AtomicInteger ROUNDS = new AtomicInteger();

    private static final long MAX_MICROS = Duration.ofMinutes(10).toNanos() / 1000;

    private final int round = ROUNDS.incrementAndGet();

    private final int expected;

    private final BitSet seen;

    private final Recorder latency = new Recorder(MAX_MICROS, 3);

    private final CountDownLatch complete = new CountDownLatch(1);

    private int received;

    private int duplicates;

    private int strays;

    Tracker(int expected) {
        this.expected = expected;
        this.seen = new BitSet(expected);
    }

    int round() {
        return this.round;
    }

    void record(long eventRound, long sequence, long sentNanos) {
        long micros = Math.min(MAX_MICROS, Math.max(0, (System.nanoTime() - sentNanos) / 1000));
        synchronized (this.seen) {
            if (eventRound != this.round || sequence < 0 || sequence >= this.expected) {
                this.strays++;
                return;
            }
            int index = (int) sequence;
            if (this.seen.get(index)) {
                this.duplicates++;
                return;
            }
            this.seen.set(index);
            // Before the count-down: the round reads the histogram as soon as the last event is in.
            this.latency.recordValue(micros);
            if (++this.received == this.expected) {
                this.complete.countDown();
            }
        }
    }

    /** Events of other rounds that arrived during this one (late deliveries or redeliveries). */
    int strays() {
        synchronized (this.seen) {
            return this.strays;
        }
    }

    /** Whether every event arrived within the time given. */
    boolean awaitAll(Duration timeout) throws InterruptedException {
        return this.complete.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    int lost() {
        synchronized (this.seen) {
            return this.expected - this.received;
        }
    }

    int duplicates() {
        synchronized (this.seen) {
            return this.duplicates;
        }
    }

    Histogram latency() {
        return this.latency.getIntervalHistogram();
    }
}
