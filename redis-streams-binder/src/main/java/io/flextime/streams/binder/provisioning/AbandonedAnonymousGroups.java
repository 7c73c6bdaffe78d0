package io.flextime.streams.binder.provisioning;

import java.time.Duration;
import java.util.List;

import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.RedisException;
import io.lettuce.core.StreamMessage;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import io.flextime.streams.binder.connection.StreamConnection;
import io.flextime.streams.monitor.InfoReply;

import static java.nio.charset.StandardCharsets.UTF_8;

/**
 * Deletes the anonymous groups that crashed processes left on a stream; a graceful unbind deletes its own.
 * Without this, each crash of a process with anonymous bindings leaves a group per stream that nothing reads,
 * whose lag grows for ever and keeps the monitor's lag and consumer alerts raised.
 *
 * <p>A group counts as abandoned when the oldest entry it has not read is older than the threshold (by Redis'
 * clock; stream ids carry their creation time) <em>and</em> every consumer of it has been idle that long. A
 * live reader takes a new entry within moments. Idle time alone cannot tell: Redis 7.0 counts it from a
 * consumer's last delivery, not its last read attempt, so a live reader on a quiet stream looks as idle as a
 * dead one. A group without consumers is left alone: it may belong to a process that has not read yet.
 */
final class AbandonedAnonymousGroups {

    private static final Log logger = LogFactory.getLog(AbandonedAnonymousGroups.class);

    private AbandonedAnonymousGroups() {
    }

    /** Deletes abandoned anonymous groups on {@code key}, never {@code ownGroup}; a failure is only logged. */
    static void remove(StreamConnection connection, String key, String ownGroup, Duration threshold) {
        byte[] stream = key.getBytes(UTF_8);
        try {
            long now = redisNowMillis(connection);
            for (Object reply : connection.await(connection.async().xinfoGroups(stream))) {
                InfoReply group = InfoReply.of(reply);
                String name = group.text("name");
                if (name == null || !name.startsWith(RedisStreamProvisioner.ANONYMOUS_GROUP_PREFIX) || name.equals(ownGroup)
                        || !abandoned(connection, stream, name, group.text("last-delivered-id"), now, threshold)) {
                    continue;
                }
                connection.await(connection.async().xgroupDestroy(stream, name.getBytes(UTF_8)));
                logger.info("Deleted anonymous group '" + name + "' on '" + key + "': it has left entries unread for "
                        + "over " + threshold + " and its consumers have been idle as long (left by a process that "
                        + "crashed)");
            }
        }
        catch (RedisException ex) {
            logger.debug("Could not look for abandoned anonymous groups on '" + key + "': " + ex.getMessage());
        }
    }

    private static boolean abandoned(StreamConnection connection, byte[] stream, String group, String lastDelivered,
            long now, Duration threshold) {
        List<StreamMessage<byte[], byte[]>> oldestUnread = connection.await(connection.async().xrange(stream,
                Range.create(following(lastDelivered), "+"), Limit.from(1)));
        if (oldestUnread.isEmpty() || millisOf(oldestUnread.get(0).getId()) > now - threshold.toMillis()) {
            return false;
        }
        List<Object> consumers = connection.await(connection.async().xinfoConsumers(stream, group.getBytes(UTF_8)));
        return !consumers.isEmpty() && consumers.stream()
                .allMatch(consumer -> InfoReply.of(consumer).number("idle", 0) >= threshold.toMillis());
    }

    /** The smallest id after {@code id} ({@code XRANGE} bounds are inclusive). */
    private static String following(String id) {
        int dash = id.indexOf('-');
        return id.substring(0, dash) + "-" + (Long.parseLong(id.substring(dash + 1)) + 1);
    }

    private static long millisOf(String id) {
        return Long.parseLong(id.substring(0, id.indexOf('-')));
    }

    private static long redisNowMillis(StreamConnection connection) {
        List<byte[]> time = connection.await(connection.async().time());
        return Long.parseLong(new String(time.get(0), UTF_8)) * 1000 + Long.parseLong(new String(time.get(1), UTF_8)) / 1000;
    }
}
