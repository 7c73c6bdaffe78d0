package io.flextime.benchmarks;

import java.net.URI;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

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

    private static final String SYNC_DELAY = "repl-diskless-sync-delay";

    private final RedisServer server;

    private final URI master;

    private final String syncDelay;

    private Replica(RedisServer server, URI master, String syncDelay) {
        this.server = server;
        this.master = master;
        this.syncDelay = syncDelay;
    }

    /** Attaches a replica and returns once the master counts it as online: only then does {@code WAIT} count it. */
    static Replica of(BenchmarkContext context) {
        URI master = URI.create(context.redisUri());
        String[] syncDelay = new String[1];
        // No delay before the first full sync: by default Redis waits 5 s for more replicas to join it.
        onMaster(master, connection -> {
            syncDelay[0] = connection.sync().configGet(SYNC_DELAY).get(SYNC_DELAY);
            connection.sync().configSet(SYNC_DELAY, "0");
        });
        Replica replica = new Replica(RedisServer.startProcess(RedisServerOptions.defaults()
                .argument("--replicaof", master.getHost(), Integer.toString(master.getPort()))), master, syncDelay[0]);
        try {
            onMaster(master, Replica::awaitOnline);
        }
        catch (RuntimeException ex) {
            replica.close();
            throw ex;
        }
        return replica;
    }

    /** Stops the replica and gives the master its setting back. */
    @Override
    public void close() {
        this.server.close();
        onMaster(this.master, connection -> connection.sync().configSet(SYNC_DELAY, this.syncDelay));
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

    private static void onMaster(URI master, Consumer<StatefulRedisConnection<String, String>> action) {
        RedisClient client = RedisClient.create(master.toString());
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            action.accept(connection);
        }
        finally {
            client.shutdown();
        }
    }
}
