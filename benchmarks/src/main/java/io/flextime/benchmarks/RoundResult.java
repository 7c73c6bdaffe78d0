package io.flextime.benchmarks;

import org.HdrHistogram.Histogram;

/** One measured round: how many events, how long, their latency, what it cost, and what went missing. */
record RoundResult(long events, long elapsedNanos, Histogram latencyMicros, double cpuCores, long peakHeapBytes,
        long peakRssBytes, int lost, int duplicates) {

    static RoundResult of(long events, long elapsedNanos, Tracker tracker, ResourceSampler resources) {
        return new RoundResult(events, elapsedNanos, tracker.latency(), resources.cpuCores(), resources.peakHeapBytes(),
                resources.peakRssBytes(), tracker.lost(), tracker.duplicates());
    }

    double eventsPerSecond() {
        return this.elapsedNanos <= 0 ? 0 : this.events * 1e9 / this.elapsedNanos;
    }

    double latencyMillis(double percentile) {
        return this.latencyMicros.getTotalCount() == 0 ? Double.NaN
                : this.latencyMicros.getValueAtPercentile(percentile) / 1000.0;
    }
}
