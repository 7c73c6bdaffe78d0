package io.flextime.events.monitoring;

import java.time.Clock;
import java.time.Duration;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import io.flextime.events.config.FlexTimeProperties;
import io.flextime.streams.binder.connection.LettuceConnectionFactories;
import io.flextime.streams.monitor.StreamMonitor;
import io.flextime.streams.monitor.TextConnection;
import io.flextime.streams.monitor.alert.AlertThresholds;
import io.flextime.streams.monitor.alert.Severity;

/**
 * The binder's monitoring core, run inside the service every {@code MONITORING_INTERVAL} over every stream
 * under {@code REDIS_STREAMS_PREFIX}, with the brief's {@code ALERT_*} thresholds. Alerts are logged (critical
 * ones as errors), which is the brief's {@code onAlert} wired to the log; the API serves the same monitor.
 */
@Configuration(proxyBeanMethods = false)
public class MonitoringConfiguration {

    private static final Log logger = LogFactory.getLog(MonitoringConfiguration.class);

    /**
     * Its own String-codec connection, from the service's Lettuce client: same host or cluster or sentinels,
     * TLS and credentials. It follows the factory through a context stop and start, which replace that client.
     */
    @Bean(destroyMethod = "close")
    TextConnection streamsConnection(LettuceConnectionFactory connectionFactory) {
        if (!connectionFactory.isRunning()) {
            connectionFactory.start();
        }
        return LettuceConnectionFactories.textConnection(connectionFactory);
    }

    @Bean(destroyMethod = "close")
    StreamMonitor streamMonitor(TextConnection streamsConnection, FlexTimeProperties properties,
            @Value("${spring.cloud.stream.redis.binder.prefix:flextime:stream:}") String prefix,
            @Value("${spring.cloud.stream.redis.default.producer.max-length:#{null}}") Long maxStreamLength, Clock clock) {
        FlexTimeProperties.Monitoring monitoring = properties.getMonitoring();
        Duration interval = Duration.ofMillis(monitoring.getInterval());
        AlertThresholds thresholds = AlertThresholds.defaults()
                .withMonitoringInterval(interval)
                .withWindow(interval.multipliedBy(10))
                .withLagThreshold(monitoring.getLagThreshold())
                .withErrorRateThreshold(monitoring.getErrorRateThreshold())
                .withConsumerIdleThreshold(Duration.ofMillis(monitoring.getConsumerIdleThreshold()));
        // The producers' MAXLEN (REDIS_MAX_STREAM_LENGTH): a group that far behind loses entries to trimming.
        thresholds = thresholds.withGrowth(thresholds.growthPerSecond(), maxStreamLength);
        StreamMonitor monitor = StreamMonitor.create(streamsConnection.async(), prefix, thresholds,
                monitoring.getHistoryPoints(), clock);
        monitor.onAlert(alert -> {
            String line = (alert.isActive() ? "Alert " : "Resolved ") + alert.rule() + ": " + alert.message();
            if (alert.isActive() && alert.severity() == Severity.CRITICAL) {
                logger.error(line);
            }
            else {
                logger.warn(line);
            }
        });
        monitor.start(interval);
        return monitor;
    }
}
