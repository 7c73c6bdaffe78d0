package io.flextime.streams.binder.faults;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;

/** Reads what {@link CountingSinkApp} recorded: distinct orders handled, duplicates, handlings per consumer. */
final class Ledger implements AutoCloseable {

    private final RedisClient client;

    private final StatefulRedisConnection<String, String> connection;

    private final String key;

    Ledger(String redisUrl, String key) {
        this.client = RedisClient.create(redisUrl);
        this.connection = this.client.connect();
        this.key = key;
    }

    long distinct() {
        return this.connection.sync().hlen(this.key);
    }

    Set<String> handledIds() {
        return new HashSet<>(this.connection.sync().hkeys(this.key));
    }

    /** Handlings beyond the first, over all orders. */
    long duplicates() {
        return this.connection.sync().hvals(this.key).stream().mapToLong(Long::parseLong).map(count -> count - 1).sum();
    }

    long handledBy(String consumer) {
        String value = this.connection.sync().hget(this.key + ":by-consumer", consumer);
        return value == null ? 0 : Long.parseLong(value);
    }

    Map<String, String> byConsumer() {
        return this.connection.sync().hgetall(this.key + ":by-consumer");
    }

    @Override
    public void close() {
        this.connection.close();
        this.client.shutdown();
    }
}
