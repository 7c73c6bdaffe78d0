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
 * @param inputPerSecond events per second into the work streams over the window, summed over the streams whose
 *        rate is known; {@code null} while none is
 * @param unknownInputStreams work streams left out of {@code inputPerSecond}: their rate is not known yet (new, or
 *        recreated within the window)
 * @param outputPerSecond events per second read by the groups over the window, summed over those whose rate is
 *        known; {@code null} while none is
 * @param unknownOutputGroups groups left out of {@code outputPerSecond} (new, or Redis cannot count their reads)
 * @param activeAlerts alerts firing now
 */
public record MetricsSummary(Instant at, int streams, int deadLetterStreams, long totalLength, long totalLag,
        long unknownLagGroups, long totalPending, long deadLetters, Double inputPerSecond, int unknownInputStreams,
        Double outputPerSecond, int unknownOutputGroups, int activeAlerts) {

    /** Nothing known yet: what is shown while connecting, before the first pass. */
    public static MetricsSummary empty(Instant at) {
        return new MetricsSummary(at, 0, 0, 0, 0, 0, 0, 0, null, 0, null, 0, 0);
    }
}
