package io.flextime.streams.binder.connection;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

import javax.net.ssl.SSLHandshakeException;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisException;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.codec.ByteArrayCodec;

import org.springframework.data.redis.RedisConnectionFailureException;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;

import io.flextime.streams.monitor.ClientShutdown;

/**
 * Opens the binder's Lettuce connections from a {@link LettuceConnectionFactory}, so host, TLS, ACL user,
 * Sentinel or Cluster settings are configured once, the Spring way.
 *
 * <p>The binder does not use the factory's shared connection: blocking {@code XREADGROUP} calls need a
 * connection each ({@link #connect()}), and producers and admin commands share one binary-codec
 * connection ({@link #shared()}) whose async commands Lettuce pipelines.
 */
public class RedisStreamsConnector implements AutoCloseable {

    private final LettuceConnectionFactory factory;

    private final boolean ownsFactory;

    private final Duration commandTimeout;

    private final SharedSlot shared = new SharedSlot();

    /** Producers that wait for replicas: {@code WAIT} blocks its connection, so they get one of their own. */
    private final SharedSlot replicated = new SharedSlot();

    /** Every connection handed out and not yet closed, so a Sentinel switch can move them all. */
    private final Set<StreamConnection> open = ConcurrentHashMap.newKeySet();

    /** Counts Sentinel switches, so a connection opened while one ran is opened again. */
    private final AtomicLong masterSwitches = new AtomicLong();

    private final Object sentinelLock = new Object();

    private SentinelSwitchListener sentinelSwitches;

    private ExecutorService sentinelSwitchExecutor;

    private long nextSentinelSubscription;

    /**
     * @throws IllegalArgumentException for a command timeout under 1 ms: Lettuce takes 0 to mean no timeout at all,
     * which a reader, a send or a stop would then wait out for ever while Redis does not answer
     */
    public RedisStreamsConnector(LettuceConnectionFactory factory, boolean ownsFactory, Duration commandTimeout) {
        if (commandTimeout == null || commandTimeout.toMillis() < 1) {
            throw new IllegalArgumentException("spring.cloud.stream.redis.binder.command-timeout must be at least 1 ms "
                    + "(0 would mean waiting for ever on a Redis that does not answer), got " + commandTimeout);
        }
        this.factory = factory;
        this.ownsFactory = ownsFactory;
        this.commandTimeout = commandTimeout;
    }

    /** A new connection for one reader thread. The caller closes it. */
    public StreamConnection connect() {
        for (int attempt = 1;; attempt++) {
            long switches = this.masterSwitches.get();
            StreamConnection connection = openConnection();
            this.open.add(connection);
            if (this.masterSwitches.get() == switches || attempt == 3) {
                return connection;
            }
            // The master moved while this connection was opening, so it may point at the old one and the switch
            // did not see it to close it.
            connection.close();
        }
    }

    private StreamConnection openConnection() {
        try {
            AbstractRedisClient client = client();
            if (client instanceof RedisClusterClient clusterClient) {
                StatefulRedisClusterConnection<byte[], byte[]> cluster = clusterClient.connect(ByteArrayCodec.INSTANCE);
                return new StreamConnection(client, cluster, cluster.async(), this.commandTimeout, this.open::remove);
            }
            StatefulRedisConnection<byte[], byte[]> single = ((RedisClient) client).connect(ByteArrayCodec.INSTANCE);
            listenForSentinelSwitches((RedisClient) client);
            return new StreamConnection(client, single, single.async(), this.commandTimeout, this.open::remove);
        }
        catch (RedisException ex) {
            throw unavailable(ex);
        }
    }

    /**
     * Behind Sentinel, listens for the master moving (see {@link SentinelSwitchListener}) from the first
     * connection on. If no sentinel could be subscribed to, a later connection tries again, at most every 30 s. A
     * restart of the application's factory brings a new client and shuts the old one down with its subscriptions:
     * the first connection of the new client subscribes again at once.
     */
    private void listenForSentinelSwitches(RedisClient client) {
        if (!this.factory.isRedisSentinelAware()) {
            return;
        }
        synchronized (this.sentinelLock) {
            SentinelSwitchListener current = this.sentinelSwitches;
            if (current != null && current.subscribedWith(client)
                    && (current.isListening() || System.nanoTime() - this.nextSentinelSubscription < 0)) {
                return;
            }
            if (current != null) {
                stopListening(current);
            }
            if (this.sentinelSwitchExecutor == null) {
                this.sentinelSwitchExecutor = Executors.newSingleThreadExecutor(
                        new CustomizableThreadFactory("redis-streams-sentinel-"));
            }
            this.sentinelSwitches = new SentinelSwitchListener(client, this.factory.getSentinelConfiguration(),
                    this.factory.isUseSsl(), this.factory.isVerifyPeer(), this.commandTimeout, this::reconnectToNewMaster,
                    this.sentinelSwitchExecutor);
            this.nextSentinelSubscription = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        }
    }

    /**
     * Closes every connection, which still points at the old master: producers get a new shared connection on
     * their next send, and readers, whose read fails, reconnect as after any outage. Both resolve the master
     * through the sentinels again.
     */
    private void reconnectToNewMaster() {
        this.masterSwitches.incrementAndGet();
        this.shared.forget();
        this.replicated.forget();
        for (StreamConnection connection : List.copyOf(this.open)) {
            connection.close();
        }
    }

    /**
     * The connection shared by producers and administrative commands (acknowledgements of manual and polled
     * entries, ownership refreshes, dead letters, counters). Once open it is kept: while Redis is away Lettuce
     * reconnects it by itself (it reports itself closed meanwhile, so that is no reason to open another one). A
     * Sentinel switch replaces it, and so does a restart of the application's connection factory (stopped and
     * started with the context, e.g. {@code /actuator/pause} and {@code resume}): that shuts down the client the
     * connection came from, for good, and brings a new one.
     */
    public StreamConnection shared() {
        return this.shared.get();
    }

    /**
     * The connection of producers that wait for replicas, kept and replaced as {@link #shared()}. Their
     * {@code WAIT} blocks the connection it is sent on until it answers, up to its timeout while a replica is
     * down: on the shared connection it would hold up acknowledgements and ownership refreshes too.
     */
    public StreamConnection replicated() {
        return this.replicated.get();
    }

    /**
     * Closes {@code connection}, unless the client it came from is shut down already: stopping the factory (an
     * application's factory stops before the binder is destroyed) or stopping and starting it shuts the client
     * down, and with it every connection it opened. Closing one again only draws Lettuce's "already closed"
     * warning.
     */
    private void release(StreamConnection connection) {
        AbstractRedisClient current = LettuceConnectionFactories.runningClient(this.factory);
        if (current != null && connection.openedBy(current)) {
            connection.close();
        }
        else {
            this.open.remove(connection);
        }
    }

    /** As {@link #release}: subscriptions whose client is shut down went with it. */
    private void stopListening(SentinelSwitchListener listener) {
        if (listener.subscribedWith(LettuceConnectionFactories.runningClient(this.factory))) {
            listener.close();
        }
        else {
            listener.abandon();
        }
    }

    /** Only asked while the connection is not open, so a send pays nothing for it. */
    private boolean clientReplaced(StreamConnection connection) {
        AbstractRedisClient current = LettuceConnectionFactories.runningClient(this.factory);
        return current != null && !connection.openedBy(current);
    }

    /** The shared connection if it was ever opened, without trying to open it: for callers that must not block. */
    public StreamConnection sharedIfOpened() {
        return this.shared.ifOpened();
    }

    public boolean isCluster() {
        return this.factory.isClusterAware();
    }

    /** Where Redis is, for messages a person reads: {@code host:port}, or the cluster or sentinel nodes. */
    public String endpoint() {
        if (this.factory.isClusterAware()) {
            return "cluster " + this.factory.getClusterConfiguration().getClusterNodes();
        }
        if (this.factory.isRedisSentinelAware()) {
            return "sentinel master '" + this.factory.getSentinelConfiguration().getMaster().getName() + "' via "
                    + this.factory.getSentinelConfiguration().getSentinels();
        }
        return this.factory.getHostName() + ":" + this.factory.getPort();
    }

    /**
     * Wraps a Lettuce failure in an exception that names the endpoint, so a log line says where Redis was
     * expected, and what to check when the failure looks like a TLS mismatch.
     */
    public RedisConnectionFailureException unavailable(Throwable cause) {
        return new RedisConnectionFailureException("Cannot reach Redis at " + endpoint() + ": " + rootMessage(cause)
                + tlsHint(cause), cause);
    }

    /**
     * A TLS port closes a plain-text connection without a word, and an untrusted certificate surfaces deep in a
     * handshake exception; both are common enough set-up mistakes to name.
     */
    private String tlsHint(Throwable cause) {
        for (Throwable current = cause; current != null; current = current.getCause() == current ? null : current.getCause()) {
            if (current instanceof SSLHandshakeException) {
                return ". The TLS handshake failed: does the trust store in the ssl-bundle hold the CA that signed "
                        + "the server's certificate, and does the server accept the client certificate?";
            }
        }
        String message = String.valueOf(rootMessage(cause));
        if (!this.factory.isUseSsl() && (message.contains("closed") || message.contains("reset"))) {
            return ". The server closed the connection at once, as a TLS-only port does to plain text: "
                    + "if it serves TLS, use a rediss:// URL (or ssl: true) with an ssl-bundle";
        }
        return "";
    }

    private static String rootMessage(Throwable cause) {
        Throwable root = cause;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root == cause ? String.valueOf(cause.getMessage()) : cause.getMessage() + " (" + root.getMessage() + ")";
    }

    private AbstractRedisClient client() {
        if (!this.factory.isRunning()) {
            this.factory.start();
        }
        return this.factory.getRequiredNativeClient();
    }

    @Override
    public void close() {
        synchronized (this.sentinelLock) {
            if (this.sentinelSwitches != null) {
                stopListening(this.sentinelSwitches);
                this.sentinelSwitches = null;
            }
            if (this.sentinelSwitchExecutor != null) {
                this.sentinelSwitchExecutor.shutdownNow();
            }
        }
        this.shared.close();
        this.replicated.close();
        if (this.ownsFactory) {
            AbstractRedisClient client = LettuceConnectionFactories.runningClient(this.factory);
            if (client != null) {
                // Bounded here; the factory's own (unbounded) shutdown of the same client then returns at once.
                ClientShutdown.within(client, this.factory.getClientConfiguration().getShutdownQuietPeriod(),
                        this.factory.getClientConfiguration().getShutdownTimeout());
            }
            this.factory.destroy();
        }
    }

    /** One connection for many users, opened on first use and replaced as {@link #shared()} says. */
    private final class SharedSlot {

        private final Object lock = new Object();

        private volatile StreamConnection connection;

        /**
         * A connection closed for good is replaced too: a sender may open the slot's connection between a Sentinel
         * switch's {@link #forget()} and its closing of every open connection, which then closes that one as well.
         */
        StreamConnection get() {
            StreamConnection current = this.connection;
            if (current != null && !current.isClosed() && (current.isOpen() || !clientReplaced(current))) {
                return current;
            }
            synchronized (this.lock) {
                if (this.connection == null
                        || this.connection == current && (current.isClosed() || clientReplaced(current))) {
                    if (this.connection != null) {
                        release(this.connection);
                    }
                    this.connection = connect();
                }
                return this.connection;
            }
        }

        StreamConnection ifOpened() {
            return this.connection;
        }

        /** After a Sentinel switch, which closes every connection itself: the next user opens a new one. */
        void forget() {
            synchronized (this.lock) {
                this.connection = null;
            }
        }

        void close() {
            synchronized (this.lock) {
                if (this.connection != null) {
                    release(this.connection);
                    this.connection = null;
                }
            }
        }
    }
}
