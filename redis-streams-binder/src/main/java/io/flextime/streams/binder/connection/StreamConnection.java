package io.flextime.streams.binder.connection;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.LettuceFutures;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisURI;
import io.lettuce.core.UnblockType;
import io.lettuce.core.XAddArgs;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.protocol.Command;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;

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

    private final AtomicBoolean closed = new AtomicBoolean();

    /** Null on a cluster: see {@link #xaddForProducer}. */
    private final BatchedWrites batched;

    StreamConnection(AbstractRedisClient client, StatefulConnection<byte[], byte[]> connection,
            RedisClusterAsyncCommands<byte[], byte[]> commands, Duration commandTimeout, Consumer<StreamConnection> onClose) {
        this.client = client;
        this.connection = connection;
        this.commands = commands;
        this.commandTimeout = commandTimeout;
        this.onClose = onClose;
        this.batched = connection instanceof StatefulRedisClusterConnection ? null : new BatchedWrites(connection);
        // The binder's command-timeout, not the client's: with the application's factory that is
        // spring.data.redis.timeout (60 s unless set), and a pipelined send's reply would be awaited that long.
        connection.setTimeout(commandTimeout);
    }

    /** Commands are pipelined: each returns a future at once and replies arrive in order. */
    public RedisClusterAsyncCommands<byte[], byte[]> async() {
        return this.commands;
    }

    /**
     * {@code XADD key [trimming] * field value ...} for producers, whose messages come one at a time: written
     * with other sends in batches (see {@link BatchedWrites}). Not on a cluster, where each goes on its own as
     * before: Lettuce's cluster writer waits, without a timeout, for the connection to a node it has not yet
     * connected to when it routes a batch (a single command it routes asynchronously), and the next batch is
     * written from Lettuce's I/O thread, which that wait could block for good; a batch would also be split per
     * node anyway, and one slow node would hold up the next batch for all of them.
     */
    public RedisFuture<String> xaddForProducer(byte[] key, XAddArgs trimming, byte[][] fields) {
        return xaddForProducer(key, trimming, fields, null);
    }

    /**
     * As {@link #xaddForProducer(byte[], XAddArgs, byte[][])}, the reply waiting for {@code replicas} too when not
     * {@code null}: it then fails with {@link ReplicasNotConfirmedException} when too few replicas confirm.
     * @throws UnsupportedOperationException for {@code replicas} on a cluster (the binder refuses it at bind)
     */
    public RedisFuture<String> xaddForProducer(byte[] key, XAddArgs trimming, byte[][] fields, ReplicaWait replicas) {
        if (this.batched == null) {
            if (replicas != null) {
                throw new UnsupportedOperationException("Waiting for replicas is not supported on Redis Cluster");
            }
            return this.commands.xadd(key, trimming, (Object[]) fields);
        }
        CommandArgs<byte[], byte[]> args = new CommandArgs<>(ByteArrayCodec.INSTANCE).addKey(key);
        trimming.build(args);
        for (int i = 0; i < fields.length; i += 2) {
            args.add(fields[i]).add(fields[i + 1]);
        }
        return this.batched.write(new Command<>(CommandType.XADD, new StatusOutput<>(ByteArrayCodec.INSTANCE), args),
                replicas);
    }

    /** Waits for a reply within the binder's command timeout; a timed-out command is cancelled. */
    public <T> T await(RedisFuture<T> future) {
        return await(future, this.commandTimeout);
    }

    public <T> T await(RedisFuture<T> future, Duration timeout) {
        return LettuceFutures.awaitOrCancel(future, timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * The handle of a blocking read of {@code key} on this connection, for {@link #unblock} from another one. On a
     * cluster the read goes to the connection to the key's master, which is not where this connection's own
     * commands without a key (such as {@code CLIENT ID}) go; so the id is asked there.
     */
    public BlockingReadHandle blockingReadHandle(byte[] key) {
        RedisClusterNode master = masterOf(key);
        if (master == null || !(this.connection instanceof StatefulRedisClusterConnection<byte[], byte[]> cluster)) {
            return new BlockingReadHandle(null, -1, await(this.commands.clientId()));
        }
        RedisURI uri = master.getUri();
        StatefulRedisConnection<byte[], byte[]> node = cluster.getConnection(uri.getHost(), uri.getPort());
        return new BlockingReadHandle(uri.getHost(), uri.getPort(), await(node.async().clientId()));
    }

    /** Whether a read of {@code key} would still run where {@code handle} says: false once its slot moved. */
    public boolean stillValid(BlockingReadHandle handle, byte[] key) {
        RedisClusterNode master = masterOf(key);
        return master == null || master.getUri().getHost().equals(handle.host()) && master.getUri().getPort() == handle.port();
    }

    /** Ends the read {@code handle} names as if its {@code BLOCK} ran out; sent without waiting for the reply. */
    public void unblock(BlockingReadHandle handle) {
        if (handle.host() != null && this.connection instanceof StatefulRedisClusterConnection<byte[], byte[]> cluster) {
            cluster.getConnection(handle.host(), handle.port()).async().clientUnblock(handle.clientId(), UnblockType.TIMEOUT);
        }
        else {
            this.commands.clientUnblock(handle.clientId(), UnblockType.TIMEOUT);
        }
    }

    private RedisClusterNode masterOf(byte[] key) {
        if (this.connection instanceof StatefulRedisClusterConnection<byte[], byte[]> cluster) {
            return cluster.getPartitions().getMasterBySlot(SlotHash.getSlot(key));
        }
        return null;
    }

    /**
     * Lets this connection's blocking commands wait up to {@code block}. Lettuce times out every command after
     * the connection's timeout (the client's command timeout), blocking reads included, so a {@code BLOCK} longer
     * than that would fail every quiet read. Only for a connection of one's own, such as a reader's; the caller
     * still waits for each reply within its own timeout.
     */
    public synchronized void allowBlockingFor(Duration block) {
        // Synchronized: two producers with different wait-timeouts on one connection must not set the shorter last.
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

    /**
     * Whether it was closed, by its owner or by the connector on a Sentinel switch: then it never reopens, unlike
     * one that merely lost Redis for a while, which Lettuce reconnects by itself.
     */
    public boolean isClosed() {
        return this.closed.get();
    }

    /** Whether this connection was opened by {@code client}: once that client is shut down, it never reopens. */
    boolean openedBy(AbstractRedisClient other) {
        return this.client == other;
    }

    /**
     * Closes the connection once: a Sentinel switch closes every connection (see {@link RedisStreamsConnector}),
     * and the reader that owns one closes it again as it reconnects.
     */
    @Override
    public void close() {
        if (this.closed.compareAndSet(false, true)) {
            this.onClose.accept(this);
            this.connection.close();
        }
    }
}
