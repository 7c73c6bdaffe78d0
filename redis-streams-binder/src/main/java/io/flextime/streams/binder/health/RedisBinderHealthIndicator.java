package io.flextime.streams.binder.health;

import java.time.Duration;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

import io.flextime.streams.binder.connection.RedisStreamsConnector;
import io.flextime.streams.binder.connection.StreamConnection;

/**
 * The binder's entry under {@code /actuator/health} ({@code binders.redis}): UP when Redis answers
 * {@code PING} within the timeout, DOWN with the endpoint and the reason otherwise.
 */
public class RedisBinderHealthIndicator extends AbstractHealthIndicator {

    private final RedisStreamsConnector connector;

    private final Duration timeout;

    public RedisBinderHealthIndicator(RedisStreamsConnector connector, Duration timeout) {
        super("Redis Streams binder health check failed");
        this.connector = connector;
        this.timeout = timeout;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        builder.withDetail("endpoint", this.connector.endpoint());
        try {
            StreamConnection connection = this.connector.shared();
            String pong = connection.await(connection.async().ping(), this.timeout);
            builder.up().withDetail("ping", pong);
        }
        catch (RuntimeException ex) {
            builder.down(ex);
        }
    }
}
