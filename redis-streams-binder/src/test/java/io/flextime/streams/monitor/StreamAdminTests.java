package io.flextime.streams.monitor;

import java.time.Duration;
import java.util.Map;

import io.lettuce.core.Range;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.flextime.streams.testing.RedisServerExtension;

import static org.assertj.core.api.Assertions.assertThat;

/** Operator actions against a real Redis. */
class StreamAdminTests {

    @RegisterExtension
    static final RedisServerExtension redis = new RedisServerExtension();

    private RedisClient client;

    private StatefulRedisConnection<String, String> connection;

    @BeforeEach
    void connect() {
        this.client = RedisClient.create(redis.server().uri().toString());
        this.connection = this.client.connect();
    }

    @AfterEach
    void disconnect() {
        this.connection.close();
        this.client.shutdown();
    }

    /** Letters left in place at the front do not hold back the ones behind them. */
    @Test
    void lettersThatStayDoNotHoldBackTheOnesBehindThem() {
        RedisCommands<String, String> redis = this.connection.sync();
        String dlq = "{shipments}.billing.dlq";
        redis.xadd("shipments", Map.of("payload", "already there"));
        for (int i = 0; i < 5; i++) {
            redis.xadd(dlq, Map.of("payload", "stuck-" + i, StreamAdmin.ORIGINAL_STREAM_FIELD, "deleted-stream"));
        }
        redis.xadd(dlq, Map.of("payload", "movable", StreamAdmin.ORIGINAL_STREAM_FIELD, "shipments"));

        try (StreamAdmin admin = StreamAdmin.open(this.client, Duration.ofSeconds(5))) {
            StreamAdmin.ReplayResult result = admin.replayDeadLetters(dlq, 2);

            assertThat(result.replayed()).extracting(StreamAdmin.Replayed::stream).containsExactly("shipments");
            assertThat(result.skipped()).hasSize(5);
        }
        assertThat(redis.xlen(dlq)).isEqualTo(5);
    }

    /**
     * A letter Redis refuses to add back (its original key is not a stream), or whose original stream does not
     * exist, is left in place and reported; the others still move, and no key is created.
     */
    @Test
    void aLetterThatCannotBeReplayedStaysAndTheRestMove() {
        RedisCommands<String, String> redis = this.connection.sync();
        String dlq = "{orders}.billing.dlq";
        redis.set("not-a-stream", "x");
        redis.xadd("orders", Map.of("payload", "already there"));
        String blocked = redis.xadd(dlq, Map.of("payload", "a", StreamAdmin.ORIGINAL_STREAM_FIELD, "not-a-stream"));
        String nowhere = redis.xadd(dlq, Map.of("payload", "c", StreamAdmin.ORIGINAL_STREAM_FIELD, "deleted-or-garbled"));
        redis.xadd(dlq, Map.of("payload", "b", StreamAdmin.ORIGINAL_STREAM_FIELD, "orders"));

        try (StreamAdmin admin = StreamAdmin.open(this.client, Duration.ofSeconds(5))) {
            StreamAdmin.ReplayResult result = admin.replayDeadLetters(dlq, 100);

            assertThat(result.skipped()).containsExactly(blocked, nowhere);
            assertThat(result.replayed()).extracting(StreamAdmin.Replayed::stream).containsExactly("orders");
        }
        assertThat(redis.xrange("orders", Range.create("-", "+"))).extracting(entry -> entry.getBody().get("payload"))
                .containsExactly("already there", "b");
        assertThat(redis.exists("deleted-or-garbled")).isZero();
        assertThat(redis.xrange(dlq, Range.create("-", "+"))).extracting(entry -> entry.getId())
                .containsExactly(blocked, nowhere);
    }
}
