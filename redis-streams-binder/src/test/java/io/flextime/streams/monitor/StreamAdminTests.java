package io.flextime.streams.monitor;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.lettuce.core.Range;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;
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
            StreamAdmin.ReplayResult result = admin.replayDeadLetters(dlq, 2, "");

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
            StreamAdmin.ReplayResult result = admin.replayDeadLetters(dlq, 100, "");

            assertThat(result.skipped()).containsExactly(blocked, nowhere);
            assertThat(result.replayed()).extracting(StreamAdmin.Replayed::stream).containsExactly("orders");
        }
        assertThat(redis.xrange("orders", Range.create("-", "+"))).extracting(entry -> entry.getBody().get("payload"))
                .containsExactly("already there", "b");
        assertThat(redis.exists("deleted-or-garbled")).isZero();
        assertThat(redis.xrange(dlq, Range.create("-", "+"))).extracting(entry -> entry.getId())
                .containsExactly(blocked, nowhere);
    }

    /**
     * A letter naming a stream outside the prefix (another application's, on a shared Redis) or a dead-letter stream
     * stays where it is; letters for streams under the prefix move.
     */
    @Test
    void aLetterMovesOnlyToAStreamUnderThePrefixThatIsNotADeadLetterStream() {
        RedisCommands<String, String> redis = this.connection.sync();
        String dlq = "{app:invoices}.billing.dlq";
        redis.xadd("app:invoices", Map.of("payload", "already there"));
        redis.xadd("other-app:ledger", Map.of("payload", "already there"));
        // A custom dead-letter stream name under the prefix.
        redis.xadd("app:refunds.dlq", Map.of("payload", "already there"));
        String foreign = redis.xadd(dlq, Map.of("payload", "a", StreamAdmin.ORIGINAL_STREAM_FIELD, "other-app:ledger"));
        String dead = redis.xadd(dlq, Map.of("payload", "b", StreamAdmin.ORIGINAL_STREAM_FIELD, "app:refunds.dlq"));
        redis.xadd(dlq, Map.of("payload", "c", StreamAdmin.ORIGINAL_STREAM_FIELD, "app:invoices"));

        try (StreamAdmin admin = StreamAdmin.open(this.client, Duration.ofSeconds(5))) {
            StreamAdmin.ReplayResult result = admin.replayDeadLetters(dlq, 100, "app:");

            assertThat(result.replayed()).extracting(StreamAdmin.Replayed::stream).containsExactly("app:invoices");
            assertThat(result.skipped()).containsExactly(foreign, dead);
        }
        assertThat(redis.xlen("other-app:ledger")).isEqualTo(1);
        assertThat(redis.xlen("app:refunds.dlq")).isEqualTo(1);
        assertThat(redis.xlen("app:invoices")).isEqualTo(2);
    }

    /**
     * Payloads and headers are bytes, not necessarily text (a binary payload, a {@code byte[]} header): a replayed
     * letter carries them back unchanged, not decoded and re-encoded as UTF-8.
     */
    @Test
    void aReplayedLetterKeepsItsBytes() {
        byte[] payload = { (byte) 0xff, (byte) 0xfe, 0x00, (byte) 0x80, 'x' };
        byte[] header = { (byte) 0xc3, 0x28 };
        String dlq = "{raw}.billing.dlq";
        try (StatefulRedisConnection<byte[], byte[]> raw = this.client.connect(ByteArrayCodec.INSTANCE)) {
            raw.sync().xadd(bytes("raw"), Map.of(bytes("payload"), bytes("already there")));
            Map<byte[], byte[]> letter = new LinkedHashMap<>();
            letter.put(bytes("payload"), payload);
            letter.put(bytes("signature"), header);
            letter.put(bytes(StreamAdmin.ORIGINAL_STREAM_FIELD), bytes("raw"));
            raw.sync().xadd(bytes(dlq), letter);

            try (StreamAdmin admin = StreamAdmin.open(this.client, Duration.ofSeconds(5))) {
                assertThat(admin.replayDeadLetters(dlq, 10, "").replayed()).hasSize(1);
            }

            List<StreamMessage<byte[], byte[]>> entries = raw.sync().xrange(bytes("raw"), Range.create("-", "+"));
            assertThat(entries).hasSize(2);
            Map<String, byte[]> replayed = new LinkedHashMap<>();
            entries.get(1).getBody().forEach((name, value) -> replayed.put(new String(name, StandardCharsets.UTF_8), value));
            assertThat(replayed.keySet()).containsExactlyInAnyOrder("payload", "signature");
            assertThat(replayed.get("payload")).isEqualTo(payload);
            assertThat(replayed.get("signature")).isEqualTo(header);
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
