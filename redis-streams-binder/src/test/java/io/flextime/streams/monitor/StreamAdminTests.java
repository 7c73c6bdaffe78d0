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
