package io.flextime.streams.monitor.alert;

import java.time.Duration;
import java.util.Set;

/**
 * Alert thresholds. The first four are the brief's, with its defaults ({@code ALERT_LAG_THRESHOLD=1000},
 * {@code ALERT_ERROR_RATE_THRESHOLD=0.05}, {@code ALERT_CONSUMER_IDLE_THRESHOLD=300000},
 * {@code MONITORING_INTERVAL=30000}).
 *
 * @param lagThreshold undelivered entries above which a group lags
 * @param errorRateThreshold failed / (processed + failed) over the window above which processing is failing
 * @param consumerIdleThreshold idle time above which a consumer of a group with work is idle
 * @param monitoringInterval time between evaluations
 * @param growthPerSecond net growth (in minus slowest group's out) above which a stream grows too fast
 * @param maxStreamLength the configured {@code MAXLEN}, or {@code null}: a stream above {@code headroom} of it alerts
 * @param headroom fraction of {@code maxStreamLength} that is too close (entries beyond it are trimmed unread)
 * @param stuckPending age of the oldest pending entry above which work is stuck: by default the binder's
 * claim-min-idle plus one claim-interval, by when another consumer should have taken over an entry that was
 * abandoned, or released by a stopping one (which makes it look idle for claim-min-idle at once)
 * @param window the window of rates and lag trends
 * @param minEventsForErrorRate fewer handled events than this in the window say nothing about an error rate
 * @param fireAfter consecutive breaching evaluations before an alert fires
 * @param resolveAfter consecutive clear evaluations before it resolves
 * @param disabledRules names of rules not evaluated (their active alerts resolve as if clear)
 */
public record AlertThresholds(long lagThreshold, double errorRateThreshold, Duration consumerIdleThreshold,
        Duration monitoringInterval, double growthPerSecond, Long maxStreamLength, double headroom,
        Duration stuckPending, Duration window, int minEventsForErrorRate, int fireAfter, int resolveAfter,
        Set<String> disabledRules) {

    public AlertThresholds {
        disabledRules = disabledRules == null ? Set.of() : Set.copyOf(disabledRules);
    }

    public static AlertThresholds defaults() {
        Duration interval = Duration.ofMillis(30_000);
        return new AlertThresholds(1000, 0.05, Duration.ofMillis(300_000), interval, 100, null, 0.9,
                Duration.ofSeconds(90), interval.multipliedBy(10), 20, 2, 2, Set.of());
    }

    public AlertThresholds withLagThreshold(long value) {
        return new AlertThresholds(value, this.errorRateThreshold, this.consumerIdleThreshold, this.monitoringInterval,
                this.growthPerSecond, this.maxStreamLength, this.headroom, this.stuckPending, this.window,
                this.minEventsForErrorRate, this.fireAfter, this.resolveAfter, this.disabledRules);
    }

    public AlertThresholds withErrorRateThreshold(double value) {
        return new AlertThresholds(this.lagThreshold, value, this.consumerIdleThreshold, this.monitoringInterval,
                this.growthPerSecond, this.maxStreamLength, this.headroom, this.stuckPending, this.window,
                this.minEventsForErrorRate, this.fireAfter, this.resolveAfter, this.disabledRules);
    }

    public AlertThresholds withConsumerIdleThreshold(Duration value) {
        return new AlertThresholds(this.lagThreshold, this.errorRateThreshold, value, this.monitoringInterval,
                this.growthPerSecond, this.maxStreamLength, this.headroom, this.stuckPending, this.window,
                this.minEventsForErrorRate, this.fireAfter, this.resolveAfter, this.disabledRules);
    }

    public AlertThresholds withMonitoringInterval(Duration value) {
        return new AlertThresholds(this.lagThreshold, this.errorRateThreshold, this.consumerIdleThreshold, value,
                this.growthPerSecond, this.maxStreamLength, this.headroom, this.stuckPending, this.window,
                this.minEventsForErrorRate, this.fireAfter, this.resolveAfter, this.disabledRules);
    }

    public AlertThresholds withGrowth(double perSecond, Long maxLength) {
        return new AlertThresholds(this.lagThreshold, this.errorRateThreshold, this.consumerIdleThreshold,
                this.monitoringInterval, perSecond, maxLength, this.headroom, this.stuckPending, this.window,
                this.minEventsForErrorRate, this.fireAfter, this.resolveAfter, this.disabledRules);
    }

    public AlertThresholds withStuckPending(Duration value) {
        return new AlertThresholds(this.lagThreshold, this.errorRateThreshold, this.consumerIdleThreshold,
                this.monitoringInterval, this.growthPerSecond, this.maxStreamLength, this.headroom, value, this.window,
                this.minEventsForErrorRate, this.fireAfter, this.resolveAfter, this.disabledRules);
    }

    public AlertThresholds withWindow(Duration value) {
        return new AlertThresholds(this.lagThreshold, this.errorRateThreshold, this.consumerIdleThreshold,
                this.monitoringInterval, this.growthPerSecond, this.maxStreamLength, this.headroom, this.stuckPending,
                value, this.minEventsForErrorRate, this.fireAfter, this.resolveAfter, this.disabledRules);
    }

    public AlertThresholds withHysteresis(int fire, int resolve) {
        return new AlertThresholds(this.lagThreshold, this.errorRateThreshold, this.consumerIdleThreshold,
                this.monitoringInterval, this.growthPerSecond, this.maxStreamLength, this.headroom, this.stuckPending,
                this.window, this.minEventsForErrorRate, fire, resolve, this.disabledRules);
    }

    public AlertThresholds withDisabledRules(Set<String> names) {
        return new AlertThresholds(this.lagThreshold, this.errorRateThreshold, this.consumerIdleThreshold,
                this.monitoringInterval, this.growthPerSecond, this.maxStreamLength, this.headroom, this.stuckPending,
                this.window, this.minEventsForErrorRate, this.fireAfter, this.resolveAfter, names);
    }
}
