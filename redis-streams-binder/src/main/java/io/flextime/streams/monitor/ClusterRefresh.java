package io.flextime.streams.monitor;

import java.time.Duration;

import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;

/**
 * How every cluster client of the project re-reads the slot map: the binder's and the desktop monitor's.
 *
 * <p>Lettuce's default never re-reads it, so after a failover commands would keep going to the dead master.
 * Adaptive triggers (redirects, reconnects, unknown nodes) refresh at once, at most once a second: the first
 * trigger fires when the master dies, before its replica is promoted, and Lettuce's default limit of one
 * adaptive refresh per 30 s would then hide the promotion for half a minute. While the dead master's connection
 * is only reconnecting, nothing triggers, so the periodic refresh bounds how long its slots stay unreachable
 * after the promotion.
 */
public final class ClusterRefresh {

    /** The periodic refresh where nothing else is configured (the binder's {@code cluster.refresh-period} default). */
    public static final Duration DEFAULT_PERIOD = Duration.ofSeconds(5);

    private ClusterRefresh() {
    }

    public static ClusterTopologyRefreshOptions options(Duration period) {
        return ClusterTopologyRefreshOptions.builder()
                .enableAllAdaptiveRefreshTriggers()
                .adaptiveRefreshTriggersTimeout(Duration.ofSeconds(1))
                .enablePeriodicRefresh(period)
                .build();
    }
}
