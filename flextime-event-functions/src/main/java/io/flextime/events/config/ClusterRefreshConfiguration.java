package io.flextime.events.config;

import java.time.Duration;

import io.lettuce.core.cluster.ClusterClientOptions;

import org.springframework.boot.data.redis.autoconfigure.DataRedisProperties;
import org.springframework.boot.data.redis.autoconfigure.LettuceClientOptionsBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.flextime.streams.monitor.ClusterRefresh;

/**
 * The application's own Lettuce connection factory (which the binder uses here) re-reads a cluster's slot map
 * as the binder's and the desktop's clients do ({@link ClusterRefresh}). Spring Boot exposes adaptive refresh
 * and its period ({@code spring.data.redis.lettuce.cluster.refresh.*}) but not the limit on adaptive
 * refreshes, which Lettuce sets to one per 30 s: after a master dies the first trigger fires before its
 * replica is promoted, and the next refresh would then come only with the periodic one. This replaces Boot's
 * refresh options whole (adaptive triggers always on); of Boot's properties only {@code period} is read.
 */
@Configuration(proxyBeanMethods = false)
public class ClusterRefreshConfiguration {

    @Bean
    LettuceClientOptionsBuilderCustomizer clusterRefreshPolicy(DataRedisProperties properties) {
        Duration configured = properties.getLettuce().getCluster().getRefresh().getPeriod();
        Duration period = configured != null ? configured : ClusterRefresh.DEFAULT_PERIOD;
        return options -> {
            if (options instanceof ClusterClientOptions.Builder cluster) {
                cluster.topologyRefreshOptions(ClusterRefresh.options(period));
            }
        };
    }
}
