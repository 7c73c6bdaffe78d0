package io.flextime.benchmarks;

import java.time.Duration;
import java.util.UUID;

/** What every scenario shares: the options, the Redis to use, a key prefix of its own, and the payloads. */
final class BenchmarkContext {

    private final BenchmarkOptions options;

    private final String redisUri;

    private final boolean ownRedisProcess;

    private final String prefix = "bench:" + UUID.randomUUID().toString().substring(0, 8) + ":";

    private final EventPayloads payloads;

    /** @param ownRedisProcess whether the Redis is a {@code redis-server} process this benchmark started */
    BenchmarkContext(BenchmarkOptions options, String redisUri, boolean ownRedisProcess) {
        this.options = options;
        this.redisUri = redisUri;
        this.ownRedisProcess = ownRedisProcess;
        this.payloads = new EventPayloads(options.payloadBytes());
    }

    BenchmarkOptions options() {
        return this.options;
    }

    String redisUri() {
        return this.redisUri;
    }

    /** Whether a replica may be attached: only to a Redis this benchmark started, and never in a container. */
    boolean ownRedisProcess() {
        return this.ownRedisProcess;
    }

    String prefix() {
        return this.prefix;
    }

    String key(String name) {
        return this.prefix + name;
    }

    EventPayloads payloads() {
        return this.payloads;
    }

    /** Generous: a round that needs this long has a problem worth reporting, not waiting for. */
    Duration roundTimeout(int events) {
        return Duration.ofSeconds(Math.max(60, events / 2_000));
    }
}
