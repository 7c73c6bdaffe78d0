package io.flextime.benchmarks;

import org.HdrHistogram.Histogram;

/** One measured round: how many events, how long, their latency, what it cost, and what went missing. */
record RoundResult(long events, long elapsedNanos, Histogram latencyMicros, double cpuCores, long peakHeapBytes,
        long peakRssBytes, int lost, int duplicates, int strays) {

    /** {@code events} counts what arrived, so a round that timed out does not report a rate it never reached. */
    static RoundResult of(long events, long elapsedNanos, Tracker tracker, ResourceSampler resources) {
        resources.close();
        return new RoundResult(events - tracker.lost(), elapsedNanos, tracker.latency(), resources.cpuCores(),
                resources.peakHeapBytes(), resources.peakRssBytes(), tracker.lost(), tracker.duplicates(),
                tracker.strays());
    }

    /**
     * Publishes {@code events} events with {@code publish} (given each index) and waits until the tracker has
     * seen them all, or the context's round timeout passes; the round is timed from the first publish.
     */
    static RoundResult publishAndAwait(BenchmarkContext context, String scenario, int events, Tracker tracker,
            java.util.function.IntConsumer publish) throws InterruptedException {
        try (ResourceSampler resources = ResourceSampler.afterFullCollection()) {
            long start = System.nanoTime();
            for (int i = 0; i < events; i++) {
                publish.accept(i);
            }
            if (!tracker.awaitAll(context.roundTimeout(events))) {
                System.out.println("  " + scenario + " round timed out with " + tracker.lost() + " events missing");
            }
            return of(events, System.nanoTime() - start, tracker, resources);
        }
    }

    double eventsPerSecond() {
        return this.elapsedNanos <= 0 ? 0 : this.events * 1e9 / this.elapsedNanos;
    }

    /**
     * The JVM's CPU time per event, in microseconds: unlike the rate, it hardly moves when other processes take
     * the machine's cores, so it shows a change in the per-event work through the run-to-run noise.
     */
    double cpuMicrosPerEvent() {
        return this.events <= 0 ? Double.NaN : this.cpuCores * this.elapsedNanos / 1000.0 / this.events;
    }

    double latencyMillis(double percentile) {
        return this.latencyMicros.getTotalCount() == 0 ? Double.NaN
                : this.latencyMicros.getValueAtPercentile(percentile) / 1000.0;
    }

    /** The line printed as each measured round ends. */
    String summary() {
        return String.format(java.util.Locale.ROOT,
                "%.0f events/s, p99 %.2f ms, lost %d, duplicates %d, late from earlier rounds %d", eventsPerSecond(),
                latencyMillis(99), this.lost, this.duplicates, this.strays);
    }
}
