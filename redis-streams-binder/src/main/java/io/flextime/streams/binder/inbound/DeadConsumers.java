package io.flextime.streams.binder.inbound;

import java.time.Duration;
import java.util.List;

import io.lettuce.core.RedisException;
import io.lettuce.core.ScriptOutputType;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import io.flextime.streams.binder.connection.StreamConnection;
import io.flextime.streams.monitor.InfoReply;

import static java.nio.charset.StandardCharsets.UTF_8;

/**
 * Removes consumers that left the group for good: idle for longer than the threshold <em>and</em> holding no
 * pending entries. {@code XGROUP DELCONSUMER} discards a consumer's pending entries, so the emptiness check
 * and the deletion run in one Lua script: a consumer that woke up and read something in between is kept.
 */
final class DeadConsumers {

    private static final Log logger = LogFactory.getLog(DeadConsumers.class);

    private static final String DELETE_IF_NOTHING_PENDING = """
            if #redis.call('XPENDING', KEYS[1], ARGV[1], '-', '+', 1, ARGV[2]) == 0 then
              return redis.call('XGROUP', 'DELCONSUMER', KEYS[1], ARGV[1], ARGV[2])
            end
            return -1
            """;

    private DeadConsumers() {
    }

    static void remove(StreamConnection connection, byte[] key, byte[] group, ReaderIdentity self, Duration idleThreshold) {
        try {
            List<Object> consumers = connection.await(connection.async().xinfoConsumers(key, group));
            for (Object reply : consumers) {
                InfoReply info = InfoReply.of(reply);
                String name = info.text("name");
                long idle = info.number("idle", 0);
                long pending = info.number("pending", 0);
                if (name.equals(self.consumer()) || pending > 0 || idle <= idleThreshold.toMillis()) {
                    continue;
                }
                Long removed = connection.await(connection.async().eval(DELETE_IF_NOTHING_PENDING.getBytes(UTF_8),
                        ScriptOutputType.INTEGER, new byte[][] { key }, group, name.getBytes(UTF_8)));
                if (removed != null && removed >= 0) {
                    logger.info("Removed consumer '" + name + "' from " + self.group() + " on '" + self.stream()
                            + "': idle " + Duration.ofMillis(idle) + " with nothing pending");
                }
            }
        }
        catch (RedisException ex) {
            logger.debug("Could not check for dead consumers on " + self + ": " + ex.getMessage());
        }
    }
}
