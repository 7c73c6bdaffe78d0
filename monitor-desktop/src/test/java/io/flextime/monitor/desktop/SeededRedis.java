package io.flextime.monitor.desktop;

import java.util.List;
import java.util.Map;

import io.lettuce.core.Consumer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XGroupCreateArgs;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;

import io.flextime.monitor.desktop.connection.ConnectionSettings;
import io.flextime.streams.testing.RedisServer;

/**
 * A Redis with FlexTime-like streams for the desktop tests: {@code schedule-events} with a group that has read
 * and acknowledged part of it and holds some pending entries, a lagging {@code game-events}, and a dead-letter
 * stream.
 */
final class SeededRedis implements AutoCloseable {

    static final String PREFIX = "flextime:stream:";

    private final RedisServer server;

    private final RedisClient client;

    private final StatefulRedisConnection<String, String> connection;

    SeededRedis(RedisServer server) {
        this.server = server;
        this.client = RedisClient.create(server.uri().toString());
        this.connection = this.client.connect();
        redis().flushall();
    }

    void seed() {
        RedisCommands<String, String> redis = redis();
        for (int i = 0; i < 30; i++) {
            redis.xadd(PREFIX + "schedule-events", Map.of("payload", "{\"eventId\":\"e-" + i
                    + "\",\"eventType\":\"schedule.created\",\"data\":{\"scheduleId\":\"s-" + i + "\"}}", "eventType", "schedule.created"));
        }
        redis.xgroupCreate(XReadArgs.StreamOffset.from(PREFIX + "schedule-events", "0"), "audit");
        List<StreamMessage<String, String>> read = redis.xreadgroup(Consumer.from("audit", "worker-1"),
                XReadArgs.Builder.count(20), XReadArgs.StreamOffset.lastConsumed(PREFIX + "schedule-events"));
        redis.xack(PREFIX + "schedule-events", "audit", read.subList(0, 15).stream().map(StreamMessage::getId).toArray(String[]::new));
        redis.xgroupCreate(XReadArgs.StreamOffset.from(PREFIX + "game-events", "0"), "notifications", XGroupCreateArgs.Builder.mkstream());
        for (int i = 0; i < 10; i++) {
            redis.xadd(PREFIX + "game-events", Map.of("payload", "{\"eventType\":\"game.scheduled\"}"));
        }
        redis.xadd("{" + PREFIX + "schedule-events}.audit.dlq", Map.of("payload", "{\"eventType\":\"schedule.created\"}",
                "dlq_originalStream", PREFIX + "schedule-events", "dlq_exceptionMessage", "boom"));
    }

    ConnectionSettings settings() {
        return ConnectionSettings.single(this.server.host(), this.server.port(), null, null, 0, false, PREFIX);
    }

    RedisCommands<String, String> redis() {
        return this.connection.sync();
    }

    @Override
    public void close() {
        this.connection.close();
        this.client.shutdown();
    }
}
