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
 * A replica of the benchmark's Redis, a {@code redis-server} process on the same machine, attached only while the
 * scenarios that need it run: it applies every write the master takes, so it takes CPU from whatever runs
 * meanwhile (on a 2-core machine, enough to halve {@code limit}).
 */
final class Replica implements AutoCloseable {

    private static final Duration ONLINE_WITHIN = Duration.ofSeconds(30);

    private final RedisServer server;

    private Replica(RedisServer server) {
        this.server = server;
    }

    /** Attaches a replica and returns once the master counts it as online: only then does {@code WAIT} count it. */
    static Replica of(BenchmarkContext context) {
        URI master = URI.create(context.redisUri());
        // No delay before the first full sync: by default Redis waits 5 s for more replicas to join it.
        onMaster(master, connection -> connection.sync().configSet("repl-diskless-sync-delay", "0"));
        Replica replica = new Replica(RedisServer.startProcess(RedisServerOptions.defaults()
                .argument("--replicaof", master.getHost(), Integer.toString(master.getPort()))));
        onMaster(master, Replica::awaitOnline);
        return replica;
    }

    @Override
    public void close() {
        this.server.close();
    }

    private static void awaitOnline(StatefulRedisConnection<String, String> master) {
        long deadline = System.nanoTime() + ONLINE_WITHIN.toNanos();
        while (!master.sync().info("replication").contains("state=online")) {
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("The replica did not come online within " + ONLINE_WITHIN);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
        }
    }

    private static void onMaster(URI master, java.util.function.Consumer<StatefulRedisConnection<String, String>> action) {
        RedisClient client = RedisClient.create(master.toString());
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            action.accept(connection);
        }
        finally {
            client.shutdown();
        }
    }
}
