package io.flextime.streams.binder.connection;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.LettuceFutures;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;

/**
 * One Lettuce connection with binary keys and values. The command interface is the one that standalone
 * and cluster connections share, so nothing above this class cares which it is.
 */
public final class StreamConnection implements AutoCloseable {

    private final StatefulConnection<byte[], byte[]> connection;

    private final RedisClusterAsyncCommands<byte[], byte[]> commands;

    private final Duration commandTimeout;

    private final Consumer<StreamConnection> onClose;

    private final AbstractRedisClient client;

    StreamConnection(AbstractRedisClient client, StatefulConnection<byte[], byte[]> connection,
            RedisClusterAsyncCommands<byte[], byte[]> commands, Duration commandTimeout, Consumer<StreamConnection> onClose) {
        this.client = client;
        this.connection = connection;
        this.commands = commands;
        this.commandTimeout = commandTimeout;
        this.onClose = onClose;
    }

    /** Commands are pipelined: each returns a future at once and replies arrive in order. */
    public RedisClusterAsyncCommands<byte[], byte[]> async() {
        return this.commands;
    }

    /** Waits for a reply within the binder's command timeout; a timed-out command is cancelled. */
    public <T> T await(RedisFuture<T> future) {
        return await(future, this.commandTimeout);
    }

    public <T> T await(RedisFuture<T> future, Duration timeout) {
        return LettuceFutures.awaitOrCancel(future, timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Lets this connection's blocking commands wait up to {@code block}. Lettuce times out every command after
     * the connection's timeout (the client's command timeout), blocking reads included, so a {@code BLOCK} longer
     * than that would fail every quiet read. Only for a connection of one's own, such as a reader's; the caller
     * still waits for each reply within its own timeout.
     */
    public void allowBlockingFor(Duration block) {
        Duration needed = block.plus(this.commandTimeout);
        if (this.connection.getTimeout().compareTo(needed) < 0) {
            this.connection.setTimeout(needed);
        }
    }

    public Duration commandTimeout() {
        return this.commandTimeout;
    }

    public boolean isOpen() {
        return this.connection.isOpen();
    }

    /** Whether this connection was opened by {@code client}: once that client is shut down, it never reopens. */
    boolean openedBy(AbstractRedisClient other) {
        return this.client == other;
    }

    @Override
    public void close() {
        this.onClose.accept(this);
        this.connection.close();
    }
}
