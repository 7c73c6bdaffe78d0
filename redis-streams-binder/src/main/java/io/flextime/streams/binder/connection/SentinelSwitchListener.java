package io.flextime.streams.binder.connection;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicReference;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.data.redis.connection.RedisSentinelConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConverters;

/**
 * Subscribes to {@code +switch-master} on every sentinel and reports when the binder's master moved.
 *
 * <p>A connection resolved through Sentinel asks the sentinels only when it (re)connects. After a failover the
 * old master keeps accepting writes until Sentinel turns it into a replica, which can take ten seconds, and its
 * resync then throws those writes away. Hearing the switch at once lets the connector reconnect everything to
 * the new master, so only writes made during the promotion itself can be lost.
 *
 * <p>The subscriptions are made asynchronously, so opening a data connection never waits for a sentinel.
 */
final class SentinelSwitchListener implements AutoCloseable {

    private static final Log logger = LogFactory.getLog(SentinelSwitchListener.class);

    private static final String CHANNEL = "+switch-master";

    private final List<StatefulRedisPubSubConnection<String, String>> subscriptions = new CopyOnWriteArrayList<>();

    private final RedisClient client;

    private final String master;

    private final Runnable onSwitch;

    private final Executor executor;

    /** The last switch acted on: every sentinel announces the same one, each on its own I/O thread. */
    private final AtomicReference<String> lastSwitch = new AtomicReference<>();

    private volatile boolean closed;

    /**
     * @param ssl whether the sentinels, like the data nodes, are reached over TLS (Spring Data applies one setting
     * to both); the client's SSL options hold the trust material
     * @param onSwitch what to do when the master moved; runs on {@code executor}, never on a Lettuce I/O thread
     */
    SentinelSwitchListener(RedisClient client, RedisSentinelConfiguration sentinels, boolean ssl, boolean verifyPeer,
            Duration timeout, Runnable onSwitch, Executor executor) {
        this.client = client;
        this.master = sentinels.getMaster().getName();
        this.onSwitch = onSwitch;
        this.executor = executor;
        // Spring Data's own mapping: each sentinel's address with the sentinel credentials.
        for (RedisURI uri : LettuceConverters.sentinelConfigurationToRedisURI(sentinels).getSentinels()) {
            uri.setSsl(ssl);
            uri.setVerifyPeer(verifyPeer);
            uri.setTimeout(timeout);
            client.connectPubSubAsync(StringCodec.UTF8, uri).thenCompose(subscription -> {
                subscription.addListener(new RedisPubSubAdapter<>() {
                    @Override
                    public void message(String channel, String message) {
                        switched(message);
                    }
                });
                return subscription.async().subscribe(CHANNEL).thenApply(ignored -> subscription)
                        .whenComplete((subscribed, failure) -> {
                            if (failure != null) {
                                subscription.closeAsync();
                            }
                        });
            }).whenComplete((subscription, failure) -> {
                if (failure != null) {
                    // Another sentinel will tell; the connector tries again later if none could be subscribed to.
                    logger.warn("Cannot subscribe to " + CHANNEL + " on sentinel " + uri.getHost() + ":" + uri.getPort() + ": " + failure.getMessage());
                }
                else if (this.closed) {
                    subscription.closeAsync();
                }
                else {
                    this.subscriptions.add(subscription);
                }
            });
        }
    }

    /** Whether at least one sentinel is subscribed to; Lettuce resubscribes after a reconnect by itself. */
    boolean isListening() {
        return !this.subscriptions.isEmpty();
    }

    /** {@code <master-name> <old-ip> <old-port> <new-ip> <new-port>} */
    private void switched(String message) {
        String[] parts = message.split(" ");
        if (parts.length != 5 || !parts[0].equals(this.master) || message.equals(this.lastSwitch.getAndSet(message))) {
            return;
        }
        logger.info("Sentinel moved master '" + this.master + "' from " + parts[1] + ":" + parts[2] + " to " + parts[3]
                + ":" + parts[4] + "; reconnecting to the new master");
        this.executor.execute(this.onSwitch);
    }

    /** Whether its subscriptions came from {@code other}. */
    boolean subscribedWith(AbstractRedisClient other) {
        return this.client == other;
    }

    @Override
    public void close() {
        this.closed = true;
        this.subscriptions.forEach(StatefulRedisPubSubConnection::closeAsync);
    }

    /**
     * Stops acting on switches without closing the subscriptions: their client has been shut down, which closed
     * them, and closing them again only draws Lettuce's "already closed" warning.
     */
    void abandon() {
        this.closed = true;
    }
}
