package io.flextime.benchmarks;

import java.net.URI;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;

import io.flextime.streams.testing.RedisServer;
import io.flextime.streams.testing.RedisServerOptions;

/**
 * The {@code binder} scenario with {@code wait-replicas: 1}, against the benchmark's Redis with a replica of its
 * own attached: what the {@code WAIT} after each batch of sends costs. The replica runs on the same machine, so
 * it also takes CPU from the others; on a real deployment it would not, but the round trip to it would be longer.
 */
final class ReplicatedBinderScenario implements Scenario {

    private static final Duration ONLINE_WITHIN = Duration.ofSeconds(30);

    private final RedisServer replica;

    private final BinderScenario binder;

    ReplicatedBinderScenario(BenchmarkContext context) {
        URI master = URI.create(context.redisUri());
        // No delay before the first full sync: by default Redis waits 5 s for more replicas to join it.
        setConfig(master, "repl-diskless-sync-delay", "0");
        this.replica = RedisServer.startProcess(RedisServerOptions.defaults()
                .argument("--replicaof", master.getHost(), Integer.toString(master.getPort())));
        awaitOnline(master);
        this.binder = new BinderScenario(context, "redis", BinderScenario.Mode.STREAM_BRIDGE, 0,
                BinderScenario.Variant.REPLICATED);
    }

    @Override
    public RoundResult round(int events) throws Exception {
        return this.binder.round(events);
    }

    @Override
    public void close() {
        this.binder.close();
        this.replica.close();
    }

    private static void setConfig(URI server, String name, String value) {
        RedisClient client = RedisClient.create(server.toString());
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            connection.sync().configSet(name, value);
        }
        finally {
            client.shutdown();
        }
    }

    /** Until the master counts the replica as online: only then does WAIT count it. */
    private static void awaitOnline(URI master) {
        RedisClient client = RedisClient.create(master.toString());
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            long deadline = System.nanoTime() + ONLINE_WITHIN.toNanos();
            while (!connection.sync().info("replication").contains("state=online")) {
                if (System.nanoTime() - deadline > 0) {
                    throw new IllegalStateException("The replica did not come online within " + ONLINE_WITHIN);
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
            }
        }
        finally {
            client.shutdown();
        }
    }
}
