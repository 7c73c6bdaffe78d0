package io.flextime.streams.monitor;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;

/**
 * A String-codec connection to a single Redis, a Sentinel-managed master or a Redis Cluster, seen through the
 * command interface all three share. On a cluster the commands route by key, so the admin operations need not
 * know which kind of Redis they talk to; the monitor's discovery scans each master itself.
 */
public final class TextConnection implements AutoCloseable {

    private final StatefulConnection<String, String> connection;

    private final RedisClusterAsyncCommands<String, String> commands;

    private TextConnection(StatefulConnection<String, String> connection, RedisClusterAsyncCommands<String, String> commands) {
        this.connection = connection;
        this.commands = commands;
    }

    /** Opens a connection from a {@link RedisClient} (standalone or Sentinel) or a {@link RedisClusterClient}. */
    public static TextConnection open(AbstractRedisClient client) {
        if (client instanceof RedisClusterClient cluster) {
            StatefulRedisClusterConnection<String, String> connection = cluster.connect();
            return new TextConnection(connection, connection.async());
        }
        StatefulRedisConnection<String, String> connection = ((RedisClient) client).connect();
        return new TextConnection(connection, connection.async());
    }

    public RedisClusterAsyncCommands<String, String> async() {
        return this.commands;
    }

    @Override
    public void close() {
        this.connection.close();
    }
}
