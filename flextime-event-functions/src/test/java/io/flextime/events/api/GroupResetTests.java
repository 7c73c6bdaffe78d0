package io.flextime.events.api;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.lettuce.core.RedisClient;
import io.lettuce.core.XGroupCreateArgs;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.flextime.streams.monitor.MonitorHistory;
import io.flextime.streams.monitor.MonitorSnapshot;
import io.flextime.streams.monitor.SnapshotCollector;
import io.flextime.streams.monitor.StreamAdmin;
import io.flextime.streams.monitor.StreamMonitor;
import io.flextime.streams.monitor.alert.AlertEngine;
import io.flextime.streams.monitor.alert.AlertRules;
import io.flextime.streams.monitor.alert.AlertThresholds;
import io.flextime.streams.testing.RedisServerExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A group reset without a stream covers the streams of a snapshot taken just before; what goes away between that
 * snapshot and its turn is skipped and listed, and the rest is still reset.
 */
class GroupResetTests {

    private static final String PREFIX = "reset-test:";

    @RegisterExtension
    static final RedisServerExtension redisServer = new RedisServerExtension();

    private RedisClient client;

    private StatefulRedisConnection<String, String> connection;

    private StreamAdmin admin;

    @BeforeEach
    void connect() {
        this.client = RedisClient.create(redisServer.server().uri().toString());
        this.connection = this.client.connect();
        this.admin = StreamAdmin.open(this.client, Duration.ofSeconds(5));
    }

    @AfterEach
    void close() {
        this.admin.close();
        this.connection.close();
        this.client.shutdown();
    }

    @Test
    @SuppressWarnings("unchecked")
    void streamsWhoseGroupOrThemselvesWentAwayAfterTheSnapshotAreSkippedAndTheOthersReset() {
        RedisCommands<String, String> redis = this.connection.sync();
        for (String name : List.of("a", "b", "c")) {
            redis.xgroupCreate(XReadArgs.StreamOffset.from(PREFIX + name, "$"), "readers", XGroupCreateArgs.Builder.mkstream());
            redis.xadd(PREFIX + name, Map.of("payload", "{}"));
        }
        MonitorSnapshot before = new SnapshotCollector(this.connection.async(), PREFIX, Clock.systemUTC(),
                Duration.ofSeconds(5)).collect();
        // Between the snapshot and the resets: one group is destroyed, one stream deleted.
        redis.xgroupDestroy(PREFIX + "b", "readers");
        redis.del(PREFIX + "c");

        Map<String, Object> answer = new AdminApi(new StreamNames(PREFIX), this.admin, monitorSeeing(before))
                .reset("readers", new AdminApi.ResetRequest("0", null));

        assertThat(answer).containsEntry("streams", List.of("a")).containsEntry("skipped", List.of("b", "c"));
        assertThat(redis.exists(PREFIX + "c")).isZero();
        List<Object> group = (List<Object>) redis.xinfoGroups(PREFIX + "a").get(0);
        assertThat(group.get(group.indexOf("last-delivered-id") + 1)).isEqualTo("0-0");
    }

    /** A monitor whose on-demand snapshot is {@code snapshot}: the state of the streams a moment before. */
    private StreamMonitor monitorSeeing(MonitorSnapshot snapshot) {
        return new StreamMonitor(new SnapshotCollector(this.connection.async(), PREFIX, Clock.systemUTC(),
                Duration.ofSeconds(5)), new MonitorHistory(10), new AlertEngine(AlertRules.all(),
                AlertThresholds.defaults(), 10), Clock.systemUTC()) {

            @Override
            public MonitorSnapshot snapshotNow() {
                return snapshot;
            }
        };
    }
}
