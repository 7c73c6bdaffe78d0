package io.flextime.streams.monitor;

import java.time.Instant;

/**
 * The brief's {@code getMetricsSummary()}: totals of the latest pass.
 *
 * @param at when the pass was taken
 * @param streams work streams (dead-letter streams not included)
 * @param deadLetterStreams dead-letter streams
 * @param totalLength entries in the work streams
 * @param totalLag sum of the known lags
 * @param unknownLagGroups groups whose lag Redis cannot tell (shown as unknown, never as 0)
 * @param totalPending delivered, not yet acknowledged
 * @param deadLetters entries in the dead-letter streams
 * @param inputPerSecond events per second into the work streams over the window, {@code null} until known
 * @param outputPerSecond events per second read by all groups over the window, {@code null} until known
 * @param activeAlerts alerts firing now
 */
public record MetricsSummary(Instant at, int streams, int deadLetterStreams, long totalLength, long totalLag,
        long unknownLagGroups, long totalPending, long deadLetters, Double inputPerSecond, Double outputPerSecond,
        int activeAlerts) {
}
