package io.flextime.streams.binder.inbound;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.lettuce.core.RedisException;
import io.lettuce.core.ScriptOutputType;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import io.flextime.streams.binder.connection.StreamConnection;

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
                Map<String, Object> info = flatMap((List<?>) reply);
                String name = String.valueOf(info.get("name"));
                long idle = ((Number) info.getOrDefault("idle", 0L)).longValue();
                long pending = ((Number) info.getOrDefault("pending", 0L)).longValue();
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

    private static Map<String, Object> flatMap(List<?> flat) {
        Map<String, Object> map = new HashMap<>();
        for (int i = 0; i + 1 < flat.size(); i += 2) {
            Object value = flat.get(i + 1);
            map.put(text(flat.get(i)), value instanceof byte[] ? text(value) : value);
        }
        return map;
    }

    private static String text(Object value) {
        return value instanceof byte[] bytes ? new String(bytes, UTF_8) : String.valueOf(value);
    }
}
