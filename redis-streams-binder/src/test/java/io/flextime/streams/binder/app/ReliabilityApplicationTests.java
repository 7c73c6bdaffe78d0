package io.flextime.streams.binder.app;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.lettuce.core.Range;
import io.lettuce.core.RedisClient;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.cloud.stream.binding.BindingsLifecycleController;
import org.springframework.cloud.stream.binding.BindingsLifecycleController.State;
import org.springframework.cloud.stream.function.StreamBridge;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.messaging.support.ErrorMessage;

import io.flextime.streams.binder.deadletter.DeadLetterFields;
import io.flextime.streams.testing.RedisServerExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Failure handling as a Boot application sees it: conversion failures, error handlers, batches, pause and resume. */
class ReliabilityApplicationTests {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @RegisterExtension
    static final RedisServerExtension redis = new RedisServerExtension();

    private TestApps apps;

    private RedisClient client;

    private StatefulRedisConnection<String, String> connection;

    @BeforeEach
    void start() {
        this.apps = new TestApps(redis.server(), "reliable-app-" + UUID.randomUUID() + ":");
        this.client = RedisClient.create(redis.server().uri().toString());
        this.connection = this.client.connect();
    }

    @AfterEach
    void stop() {
        this.apps.close();
        this.connection.close();
        this.client.shutdown();
    }

    @Test
    void malformedEntriesWrittenByHandGoToTheDeadLetterStreamWithAReasonAndTheReaderLivesOn() {
        ConfigurableApplicationContext app = this.apps.start(SinkApp.class, "sink", "--sink.group=strict",
                "--spring.cloud.stream.bindings.orderSink-in-0.consumer.max-attempts=1");
        RedisCommands<String, String> redis = this.connection.sync();
        String key = this.apps.prefix() + "orders";
        redis.xadd(key, Map.of("body", "no payload field"));
        redis.xadd(key, Map.of("payload", "{not json", "contentType", "application/json"));
        // Spring Cloud Stream falls back to JSON for content types it does not know, so use bytes that are not JSON.
        redis.xadd(key, Map.of("payload", "\u0008\u0096\u0001", "contentType", "application/x-protobuf"));
        redis.xadd(key, Map.of("payload", ""));
        app.getBean(StreamBridge.class).send("orders-out", new Order("fine", "kansas", 1, 100));

        await().atMost(TIMEOUT).until(() -> RedisBinderApplicationTests.received(app).size() >= 1);
        assertThat(RedisBinderApplicationTests.received(app).items()).extracting(Order::id).containsExactly("fine");
        String dlq = "{" + key + "}.strict.dlq";
        await().atMost(TIMEOUT).until(() -> redis.xlen(dlq) == 4);
        List<StreamMessage<String, String>> letters = redis.xrange(dlq, Range.create("-", "+"));
        assertThat(letters.get(0).getBody().get(DeadLetterFields.EXCEPTION_MESSAGE)).contains("no 'payload' field");
        assertThat(letters).allSatisfy(letter -> assertThat(letter.getBody())
                .containsKeys(DeadLetterFields.ORIGINAL_ID, DeadLetterFields.EXCEPTION_CLASS, DeadLetterFields.STACK_TRACE));
        assertThat(letters.subList(1, 4)).extracting(letter -> letter.getBody().get("payload"))
                .containsExactly("{not json", "\u0008\u0096\u0001", "");
        await().atMost(TIMEOUT).until(() -> redis.xpending(key, "strict").getCount() == 0);
    }

    /**
     * A dead letter keeps the entry's fields as they were stored, whether it failed in the handler or could not be
     * decoded: bytes that are not text, a typed header with its type field, a field named {@code id}; nothing
     * added (no empty {@code payload} for an entry that had none). So a replay puts back exactly what was written.
     */
    @Test
    void deadLettersKeepTheEntrysFieldsByteForByte() {
        this.apps.start(SinkApp.class, "sink", "--sink.group=exact", "--sink.fail=true",
                "--spring.cloud.stream.bindings.orderSink-in-0.consumer.max-attempts=1");
        String key = this.apps.prefix() + "orders";
        try (StatefulRedisConnection<byte[], byte[]> raw = this.client.connect(ByteArrayCodec.INSTANCE)) {
            Map<byte[], byte[]> failing = new LinkedHashMap<>();
            failing.put(bytes("payload"), bytes("{\"id\":\"o-1\",\"customer\":\"kansas\",\"sequence\":1,\"amountCents\":1}"));
            failing.put(bytes("contentType"), bytes("application/json"));
            failing.put(bytes("signature"), new byte[] { (byte) 0xff, 0x00, (byte) 0xc3, 0x28 });
            failing.put(bytes("attempt"), bytes("3"));
            failing.put(bytes("scst_headerTypes"), bytes("{\"attempt\":\"int\"}"));
            failing.put(bytes("id"), bytes("external-1"));
            Map<byte[], byte[]> malformed = new LinkedHashMap<>();
            malformed.put(bytes("body"), new byte[] { 0x08, (byte) 0x96, 0x01, (byte) 0xfe });
            String failingId = raw.sync().xadd(bytes(key), failing);
            String malformedId = raw.sync().xadd(bytes(key), malformed);

            byte[] dlq = bytes("{" + key + "}.exact.dlq");
            await().atMost(TIMEOUT).until(() -> raw.sync().xlen(dlq) == 2);
            Map<String, Map<String, String>> letters = new HashMap<>();
            for (StreamMessage<byte[], byte[]> letter : raw.sync().xrange(dlq, Range.create("-", "+"))) {
                Map<String, String> fields = hex(letter.getBody());
                letters.put(fields.get(DeadLetterFields.ORIGINAL_ID), fields);
            }
            assertThat(withoutDeadLetterFields(letters.get(HexFormat.of().formatHex(bytes(failingId))))).isEqualTo(hex(failing));
            assertThat(withoutDeadLetterFields(letters.get(HexFormat.of().formatHex(bytes(malformedId))))).isEqualTo(hex(malformed));
        }
        await().atMost(TIMEOUT).until(() -> this.connection.sync().xpending(key, "exact").getCount() == 0);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** Field name to the value's hex digits, in order, so byte arrays compare by content. */
    private static Map<String, String> hex(Map<byte[], byte[]> fields) {
        Map<String, String> hex = new LinkedHashMap<>();
        fields.forEach((name, value) -> hex.put(new String(name, StandardCharsets.UTF_8), HexFormat.of().formatHex(value)));
        return hex;
    }

    private static Map<String, String> withoutDeadLetterFields(Map<String, String> letter) {
        Map<String, String> original = new LinkedHashMap<>(letter);
        original.keySet().removeIf(name -> name.startsWith("dlq_"));
        return original;
    }

    @Test
    @SuppressWarnings("unchecked")
    void userErrorHandlerDefinitionReplacesTheDeadLetterStream() {
        ConfigurableApplicationContext app = this.apps.start(SinkApp.class, "sink", "--sink.group=handled",
                "--sink.fail=true", "--spring.cloud.stream.bindings.orderSink-in-0.consumer.max-attempts=1",
                "--spring.cloud.stream.bindings.orderSink-in-0.error-handler-definition=orderErrorHandler");
        app.getBean(StreamBridge.class).send("orders-out", new Order("refused", "kansas", 1, 100));

        Received<ErrorMessage> errors = app.getBean("orderErrors", Received.class);
        await().atMost(TIMEOUT).until(() -> errors.size() == 1);
        String key = this.apps.prefix() + "orders";
        await().atMost(TIMEOUT).until(() -> this.connection.sync().xpending(key, "handled").getCount() == 0);
        assertThat(this.connection.sync().exists("{" + key + "}.handled.dlq")).isZero();
    }

    @Test
    @SuppressWarnings("unchecked")
    void aFailingBatchIsDeadLetteredRecordByRecordAndLaterBatchesFlow() {
        RedisCommands<String, String> redis = this.connection.sync();
        String key = this.apps.prefix() + "orders";
        // Written before the consumer starts, so its first read returns all three as one batch.
        for (String id : List.of("a", "poison", "b")) {
            redis.xadd(key, Map.of("payload", "{\"id\":\"" + id + "\",\"customer\":\"kansas\",\"sequence\":1,\"amountCents\":1}",
                    "contentType", "application/json"));
        }
        ConfigurableApplicationContext app = this.apps.start(BatchSinkApp.class, "batch");
        String dlq = "{" + key + "}.batches.dlq";
        await().atMost(TIMEOUT).until(() -> redis.xlen(dlq) == 3);

        redis.xadd(key, Map.of("payload", "{\"id\":\"c\",\"customer\":\"kansas\",\"sequence\":2,\"amountCents\":1}",
                "contentType", "application/json"));
        Received<List<Order>> batches = app.getBean("batches", Received.class);
        await().atMost(TIMEOUT).until(() -> batches.size() == 1);
        assertThat(batches.items().get(0)).extracting(Order::id).containsExactly("c");
        assertThat(redis.xrange(dlq, Range.create("-", "+"))).extracting(letter -> letter.getBody().get("payload"))
                .allSatisfy(payload -> assertThat(payload).contains("\"customer\":\"kansas\""));
        await().atMost(TIMEOUT).until(() -> redis.xpending(key, "batches").getCount() == 0);
    }

    @Test
    void bindingsEndpointPausesAndResumesConsumption() {
        ConfigurableApplicationContext app = this.apps.start(SinkApp.class, "sink", "--sink.group=pausable");
        BindingsLifecycleController bindings = app.getBean(BindingsLifecycleController.class);
        bindings.changeState("orderSink-in-0", State.PAUSED);
        app.getBean(StreamBridge.class).send("orders-out", new Order("while-paused", "kansas", 1, 100));
        String key = this.apps.prefix() + "orders";

        await().atMost(TIMEOUT).until(() -> this.connection.sync().xlen(key) == 1);
        await().during(Duration.ofMillis(600)).atMost(Duration.ofSeconds(3))
                .until(() -> RedisBinderApplicationTests.received(app).size() == 0);

        bindings.changeState("orderSink-in-0", State.RESUMED);
        await().atMost(TIMEOUT).until(() -> RedisBinderApplicationTests.received(app).size() == 1);
    }
}
