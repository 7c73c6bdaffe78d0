package io.flextime.benchmarks;

import java.time.Duration;
import java.util.BitSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * What the consuming side of one round saw: which sequence numbers arrived (so loss and duplicates are counted,
 * not assumed) and the publish-to-handler latency of each, in microseconds. Producer and consumer share one JVM,
 * so {@code System.nanoTime()} stamps compare.
 */
final class Tracker {

    private final int expected;

    private final BitSet seen;

    private final Recorder latency = new Recorder(Duration.ofMinutes(10).toNanos() / 1000, 3);

    private final CountDownLatch complete = new CountDownLatch(1);

    private int received;

    private int duplicates;

    Tracker(int expected) {
        this.expected = expected;
        this.seen = new BitSet(expected);
    }

    void record(long sequence, long sentNanos) {
        this.latency.recordValue(Math.max(0, (System.nanoTime() - sentNanos) / 1000));
        synchronized (this.seen) {
            int index = (int) sequence;
            if (this.seen.get(index)) {
                this.duplicates++;
                return;
            }
            this.seen.set(index);
            if (++this.received == this.expected) {
                this.complete.countDown();
            }
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
