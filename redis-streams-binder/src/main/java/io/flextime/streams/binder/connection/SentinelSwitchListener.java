package io.flextime.streams.binder.connection;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.data.redis.connection.RedisNode;
import org.springframework.data.redis.connection.RedisSentinelConfiguration;

/**
 * Subscribes to {@code +switch-master} on every sentinel and reports when the binder's master moved.
 *
 * <p>A connection resolved through Sentinel asks the sentinels only when it (re)connects. After a failover the
 * old master keeps accepting writes until Sentinel turns it into a replica, which can take ten seconds, and its
 * resync then throws those writes away. Hearing the switch at once lets the connector reconnect everything to
 * the new master, so only writes made during the promotion itself can be lost.
 */
final class SentinelSwitchListener implements AutoCloseable {

    private static final Log logger = LogFactory.getLog(SentinelSwitchListener.class);

    private static final String CHANNEL = "+switch-master";

    private final List<StatefulRedisPubSubConnection<String, String>> subscriptions = new ArrayList<>();

    private final String master;

    private final Runnable onSwitch;

    private final Executor executor;

    /** The last switch acted on: every sentinel announces the same one. */
    private volatile String lastSwitch;

    /**
     * @param onSwitch what to do when the master moved; runs on {@code executor}, never on a Lettuce I/O thread
     */
    SentinelSwitchListener(RedisClient client, RedisSentinelConfiguration sentinels, Runnable onSwitch, Executor executor) {
        this.master = sentinels.getMaster().getName();
        this.onSwitch = onSwitch;
        this.executor = executor;
        for (RedisNode sentinel : sentinels.getSentinels()) {
            RedisURI.Builder uri = RedisURI.builder().withHost(sentinel.getHost()).withPort(sentinel.getPort());
            if (sentinels.getSentinelPassword().isPresent()) {
                char[] password = sentinels.getSentinelPassword().get();
                if (sentinels.getSentinelUsername() != null) {
                    uri.withAuthentication(sentinels.getSentinelUsername(), password);
                }
                else {
                    uri.withPassword(password);
                }
            }
            try {
                StatefulRedisPubSubConnection<String, String> subscription = client.connectPubSub(uri.build());
                subscription.addListener(new RedisPubSubAdapter<>() {
                    @Override
                    public void message(String channel, String message) {
                        switched(message);
                    }
                });
                subscription.sync().subscribe(CHANNEL);
                this.subscriptions.add(subscription);
            }
            catch (RedisException ex) {
                // Another sentinel will tell; Lettuce would not retry a connection that never opened.
                logger.warn("Cannot subscribe to " + CHANNEL + " on sentinel " + sentinel + ": " + ex.getMessage());
            }
        }
    }

    /** Whether at least one sentinel is subscribed to; Lettuce resubscribes after a reconnect by itself. */
    boolean isListening() {
        return !this.subscriptions.isEmpty();
    }

    /** {@code <master-name> <old-ip> <old-port> <new-ip> <new-port>} */
    private void switched(String message) {
        String[] parts = message.split(" ");
        if (parts.length != 5 || !parts[0].equals(this.master) || message.equals(this.lastSwitch)) {
            return;
        }
        this.lastSwitch = message;
        logger.info("Sentinel moved master '" + this.master + "' from " + parts[1] + ":" + parts[2] + " to " + parts[3]
                + ":" + parts[4] + "; reconnecting to the new master");
        this.executor.execute(this.onSwitch);
    }

    @Override
    public void close() {
        this.subscriptions.forEach(StatefulRedisPubSubConnection::close);
    }
}
