package io.flextime.streams.monitor;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.function.Supplier;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisAdvancedClusterAsyncCommands;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;

/**
 * A String-codec connection to a single Redis, a Sentinel-managed master or a Redis Cluster, seen through the
 * command interface all three share. On a cluster the commands route by key, so the admin operations need not
 * know which kind of Redis they talk to; the monitor's discovery scans each master itself.
 *
 * <p>It can follow a client that gets replaced: a Spring connection factory that is stopped and started again
 * (context stop and start, a pause and resume) shuts its Lettuce client down, which closes every connection
 * from it for good, and makes a new client. The commands {@link #async()} hands out therefore always go to a
 * connection from the current client, opened again on first use after a replacement, so a monitor or an
 * admin built once keeps working.
 *
 * <p>While Redis cannot be reached, one caller at a time tries to connect, and may wait up to the client's connect
 * timeout. For {@link #RETRY_AFTER_FAILURE} after a failed attempt, callers fail at once with that attempt's failure
 * instead of each waiting in turn: a burst of API requests during an outage returns at once rather than queueing
 * behind one another's connect timeouts.
 */
public final class TextConnection implements AutoCloseable {

    static final Duration RETRY_AFTER_FAILURE = Duration.ofSeconds(1);

    private final Supplier<AbstractRedisClient> clients;

    private final long retryAfterNanos;

    /** The last failed attempt to connect; {@code null} once one succeeds. Guarded by {@code this}. */
    private FailedAttempt failedAttempt;

    private final RedisClusterAsyncCommands<String, String> commands;

    private volatile Opened opened;

    private volatile boolean closed;

    /**
     * @param cluster whether the clients are {@link RedisClusterClient}s: then the commands are the advanced cluster
     * commands, through which the monitor reaches each master itself (see {@code SnapshotCollector})
     */
    @SuppressWarnings("unchecked")
    private TextConnection(Supplier<AbstractRedisClient> clients, boolean cluster, Duration retryAfterFailure) {
        this.clients = clients;
        this.retryAfterNanos = retryAfterFailure.toNanos();
        Class<?> commandInterface = cluster ? RedisAdvancedClusterAsyncCommands.class : RedisClusterAsyncCommands.class;
        this.commands = (RedisClusterAsyncCommands<String, String>) Proxy.newProxyInstance(
                commandInterface.getClassLoader(), new Class<?>[] { commandInterface },
                (proxy, method, args) -> invoke(proxy, method, args));
    }

    /**
     * Opens a connection from a {@link RedisClient} (standalone or Sentinel) or a {@link RedisClusterClient}.
     * @throws io.lettuce.core.RedisConnectionException when Redis cannot be reached
     */
    public static TextConnection open(AbstractRedisClient client) {
        TextConnection connection = new TextConnection(() -> client, client instanceof RedisClusterClient,
                RETRY_AFTER_FAILURE);
        connection.current();
        return connection;
    }

    /**
     * A connection from the client {@code clients} gives, opened on first use, and again from a new client
     * whenever it gives another one. Opening on first use lets an application start while Redis is away (its
     * monitor then reports the failure, as the binder does). {@code clients} gives {@code null} while there is
     * none (a stopped factory): commands then fail at once, saying so.
     * @param cluster whether {@code clients} gives {@link RedisClusterClient}s
     */
    public static TextConnection following(Supplier<AbstractRedisClient> clients, boolean cluster) {
        return following(clients, cluster, RETRY_AFTER_FAILURE);
    }

    static TextConnection following(Supplier<AbstractRedisClient> clients, boolean cluster, Duration retryAfterFailure) {
        return new TextConnection(clients, cluster, retryAfterFailure);
    }

    /** Commands on the connection from the current client. */
    public RedisClusterAsyncCommands<String, String> async() {
        return this.commands;
    }

    /**
     * Closes the connection, unless its client is gone: a client's shutdown has closed its connections already,
     * and closing one again only draws Lettuce's "already closed" warning.
     */
    @Override
    public synchronized void close() {
        this.closed = true;
        Opened current = this.opened;
        if (current != null && current.client == this.clients.get()) {
            current.connection.close();
        }
    }

    private RedisClusterAsyncCommands<String, String> current() {
        Opened current = this.opened;
        if (current != null && !this.closed && current.client == this.clients.get()) {
            return current.commands;
        }
        synchronized (this) {
            if (this.closed) {
                throw new IllegalStateException("This Redis connection is closed");
            }
            AbstractRedisClient client = this.clients.get();
            if (client == null) {
                throw new IllegalStateException("The Redis connection factory is stopped; commands work again once "
                        + "it is started");
            }
            if (this.opened == null || this.opened.client != client) {
                // The connection from an earlier client went with that client's shutdown: nothing to close.
                this.opened = connect(client);
            }
            return this.opened.commands;
        }
    }

    /** Guarded by {@code this}. */
    private Opened connect(AbstractRedisClient client) {
        FailedAttempt failed = this.failedAttempt;
        if (failed != null && failed.client == client && System.nanoTime() - failed.endedNanos < this.retryAfterNanos) {
            throw new RedisConnectionException("Redis could not be reached a moment ago (" + failed.error.getMessage()
                    + "); the next attempt is made " + Duration.ofNanos(this.retryAfterNanos).toMillis()
                    + " ms after that one", failed.error);
        }
        try {
            Opened connected = Opened.from(client);
            this.failedAttempt = null;
            return connected;
        }
        catch (RuntimeException ex) {
            this.failedAttempt = new FailedAttempt(client, ex, System.nanoTime());
            throw ex;
        }
    }

    private Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
        if (method.getDeclaringClass() == Object.class) {
            return switch (method.getName()) {
                case "equals" -> proxy == args[0];
                case "hashCode" -> System.identityHashCode(proxy);
                default -> "Redis commands of " + this;
            };
        }
        try {
            return method.invoke(current(), args);
        }
        catch (InvocationTargetException ex) {
            throw ex.getCause();
        }
    }

    private record FailedAttempt(AbstractRedisClient client, RuntimeException error, long endedNanos) {
    }

    private record Opened(AbstractRedisClient client, StatefulConnection<String, String> connection,
            RedisClusterAsyncCommands<String, String> commands) {

        static Opened from(AbstractRedisClient client) {
            if (client instanceof RedisClusterClient cluster) {
                StatefulRedisClusterConnection<String, String> connection = cluster.connect();
                return new Opened(client, connection, connection.async());
            }
            StatefulRedisConnection<String, String> connection = ((RedisClient) client).connect();
            return new Opened(client, connection, connection.async());
        }
    }
}
