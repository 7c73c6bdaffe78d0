package io.flextime.streams.binder;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import io.lettuce.core.models.stream.PendingMessages;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.cloud.stream.binder.Binding;
import org.springframework.cloud.stream.binder.ExtendedConsumerProperties;
import org.springframework.cloud.stream.binder.ExtendedProducerProperties;
import org.springframework.integration.channel.DirectChannel;
import org.springframework.messaging.Message;
import org.springframework.messaging.MessageChannel;
import org.springframework.messaging.MessagingException;
import org.springframework.messaging.support.ErrorMessage;
import org.springframework.messaging.support.MessageBuilder;
import org.springframework.util.MimeType;

import io.flextime.streams.binder.connection.StreamConnection;
import io.flextime.streams.binder.properties.RedisConsumerProperties;
import io.flextime.streams.binder.properties.RedisProducerProperties;
import io.flextime.streams.binder.support.RedisStreamHeaders;
import io.flextime.streams.testing.RedisServerExtension;
import io.flextime.streams.testing.TcpProxy;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The inbound side against real Redis: typed headers, acknowledgement, malformed entries, pause and anonymous groups. */
class RedisBinderConsumerTests {

    private static final Duration TIMEOUT = Duration.ofSeconds(15);

    @RegisterExtension
    static final RedisServerExtension redis = new RedisServerExtension();

    private RedisTestBinder binder;

    private StreamConnection redisCommands;

    @BeforeEach
    void createBinder() {
        this.binder = new RedisTestBinder(redis.server(), "consumer-" + UUID.randomUUID() + ":");
        this.redisCommands = this.binder.connector().shared();
    }

    @AfterEach
    void closeBinder() {
        this.binder.close();
    }

    @Test
    void headersComeBackWithTheirTypes() {
        DirectChannel output = new DirectChannel();
        Binding<MessageChannel> producer = this.binder.bindProducer("typed", output, producerProperties());
        List<Message<?>> received = new CopyOnWriteArrayList<>();
        Binding<MessageChannel> consumer = bindConsumer("typed", "g", received::add, consumerProperties());
        UUID id = UUID.randomUUID();
        output.send(MessageBuilder.withPayload("p".getBytes(UTF_8))
                .setHeader("text", "hello")
                .setHeader("int", 42)
                .setHeader("long", 7_000_000_000L)
                .setHeader("double", 1.5d)
                .setHeader("flag", true)
                .setHeader("uuid", id)
                .setHeader("mime", MimeType.valueOf("application/json"))
                .setHeader("raw", new byte[] { 1, 2, 3 })
                .setHeader("object", Map.of("a", 1))
                .build());

        await().atMost(TIMEOUT).until(() -> received.size() == 1);
        Map<String, Object> headers = received.get(0).getHeaders();
        assertThat(headers.get("text")).isEqualTo("hello");
        assertThat(headers.get("int")).isEqualTo(42);
        assertThat(headers.get("long")).isEqualTo(7_000_000_000L);
        assertThat(headers.get("double")).isEqualTo(1.5d);
        assertThat(headers.get("flag")).isEqualTo(Boolean.TRUE);
        assertThat(headers.get("uuid")).isEqualTo(id);
        assertThat(headers.get("mime")).isEqualTo(MimeType.valueOf("application/json"));
        assertThat(headers.get("raw")).isEqualTo(new byte[] { 1, 2, 3 });
        assertThat(headers.get("object")).isEqualTo(Map.of("a", 1));
        assertThat(headers.get(RedisStreamHeaders.STREAM)).isEqualTo(this.binder.key("typed"));
        assertThat(headers.get(RedisStreamHeaders.RECORD_ID)).asString().matches("\\d+-\\d+");
        producer.unbind();
        consumer.unbind();
    }

    @Test
    @SuppressWarnings("unchecked")
    void inBatchModeEachRecordsHeadersComeBackTypedInTheBatchHeaders() {
        String key = this.binder.key("typed-batch");
        // In the stream before the group exists, so the first read returns both as one batch.
        String types = "{\"attempt\":\"int\"}";
        String first = xadd(this.binder.keyBytes("typed-batch"), "payload", "a", "attempt", "1", "scst_headerTypes", types);
        String second = xadd(this.binder.keyBytes("typed-batch"), "payload", "b", "attempt", "2", "scst_headerTypes", types);
        ExtendedConsumerProperties<RedisConsumerProperties> properties = consumerProperties();
        properties.setBatchMode(true);
        List<Message<?>> received = new CopyOnWriteArrayList<>();
        Binding<MessageChannel> consumer = bindConsumer("typed-batch", "g", received::add, properties);

        await().atMost(TIMEOUT).until(() -> received.size() == 1);
        Message<?> batch = received.get(0);
        assertThat((List<byte[]>) batch.getPayload()).extracting(payload -> new String(payload, UTF_8))
                .containsExactly("a", "b");
        assertThat(batch.getHeaders().get(RedisStreamHeaders.STREAM)).isEqualTo(key);
        List<Map<String, Object>> records = (List<Map<String, Object>>) batch.getHeaders()
                .get(org.springframework.cloud.stream.binder.BinderHeaders.BATCH_HEADERS);
        assertThat(records).extracting(record -> record.get("attempt")).containsExactly(1, 2);
        assertThat(records).extracting(record -> record.get(RedisStreamHeaders.RECORD_ID)).containsExactly(first, second);
        assertThat(records).allSatisfy(record -> {
            assertThat(record).containsEntry(RedisStreamHeaders.STREAM, key).doesNotContainKey("id");
            // Plain maps a handler may adjust, not the read-only MessageHeaders of a throwaway message.
            record.put("seen", true);
        });
        consumer.unbind();
    }

    /**
     * A handler that restores an interrupt (the usual idiom after catching InterruptedException) leaves the flag on
     * the reader's thread. The reader must go on reading, not fail its next read and stop for good.
     */
    @Test
    @ExtendWith(OutputCaptureExtension.class)
    void aHandlerLeavingTheThreadInterruptedDoesNotStopTheReader(CapturedOutput output) {
        DirectChannel sends = new DirectChannel();
        Binding<MessageChannel> producer = this.binder.bindProducer("interrupting", sends, producerProperties());
        List<String> received = new CopyOnWriteArrayList<>();
        Binding<MessageChannel> consumer = bindConsumer("interrupting", "g", message -> {
            received.add(new String((byte[]) message.getPayload(), UTF_8));
            Thread.currentThread().interrupt();
        }, consumerProperties());

        sends.send(MessageBuilder.withPayload("first".getBytes(UTF_8)).build());
        await().atMost(TIMEOUT).until(() -> received.size() == 1);
        sends.send(MessageBuilder.withPayload("second".getBytes(UTF_8)).build());
        sends.send(MessageBuilder.withPayload("third".getBytes(UTF_8)).build());

        await().atMost(TIMEOUT).until(() -> received.size() == 3);
        assertThat(received).containsExactly("first", "second", "third");
        assertThat(output.getOut()).contains("left the reader's thread interrupted");
        consumer.unbind();
        producer.unbind();
    }

    /**
     * Lettuce times out every command after the client's timeout, a blocking read included. A {@code block}
     * longer than the command timeout must still be waited out, not turned into a failed read and a reconnect.
     */
    @Test
    @ExtendWith(OutputCaptureExtension.class)
    void aBlockLongerThanTheCommandTimeoutIsWaitedOutNotTimedOut(CapturedOutput output) {
        RedisTestBinder shortTimeouts = new RedisTestBinder(redis.server().uri().toString(), this.binder.key(""),
                Duration.ofMillis(300));
        try {
            ExtendedConsumerProperties<RedisConsumerProperties> properties = consumerProperties();
            properties.getExtension().setBlock(Duration.ofSeconds(1));
            List<Message<?>> received = new CopyOnWriteArrayList<>();
            DirectChannel input = new DirectChannel();
            input.subscribe(received::add);
            Binding<MessageChannel> consumer = shortTimeouts.getBinder().bindConsumer("quiet", "g", input, properties);

            // A few blocking reads come back empty on the quiet stream, each after the whole second.
            await().during(Duration.ofMillis(2500)).atMost(Duration.ofSeconds(5))
                    .until(() -> !output.getOut().contains("cannot read from Redis"));
            xadd(this.binder.keyBytes("quiet"), "payload", "after-a-while");
            await().atMost(TIMEOUT).until(() -> received.size() == 1);
            assertThat(output.getOut()).doesNotContain("cannot read from Redis").doesNotContain("reconnected");
            consumer.unbind();
        }
        finally {
            shortTimeouts.close(false);
        }
    }

    /** With multiplex the framework passes "a,b" as one destination: one binding reads both streams. */
    @Test
    void aMultiplexedBindingReadsEveryStreamOfItsList() {
        ExtendedConsumerProperties<RedisConsumerProperties> properties = consumerProperties();
        properties.setMultiplex(true);
        List<String> received = new CopyOnWriteArrayList<>();
        Binding<MessageChannel> consumer = bindConsumer("north, south", "g",
                message -> received.add(new String((byte[]) message.getPayload(), UTF_8) + " from "
                        + message.getHeaders().get(RedisStreamHeaders.STREAM)), properties);

        xadd(this.binder.keyBytes("north"), "payload", "n1");
        xadd(this.binder.keyBytes("south"), "payload", "s1");

        await().atMost(TIMEOUT).until(() -> received.size() == 2);
        assertThat(received).containsExactlyInAnyOrder("n1 from " + this.binder.key("north"),
                "s1 from " + this.binder.key("south"));
        assertThat(this.redisCommands.await(this.redisCommands.async().exists(this.binder.keyBytes("north, south"))))
                .isZero();
        consumer.unbind();
    }

    @Test
    void withDeadLetteringOffFailedEntriesStayPendingWhileOthersAreAcknowledged() {
        DirectChannel output = new DirectChannel();
        Binding<MessageChannel> producer = this.binder.bindProducer("acks", output, producerProperties());
        List<String> handled = new CopyOnWriteArrayList<>();
        ExtendedConsumerProperties<RedisConsumerProperties> properties = consumerProperties();
        properties.setMaxAttempts(1);
        properties.getExtension().setDeadLetterEnabled(false);
        Binding<MessageChannel> consumer = bindConsumer("acks", "g", message -> {
            String payload = new String((byte[]) message.getPayload(), UTF_8);
            if (payload.startsWith("bad")) {
                throw new IllegalStateException("handler refuses " + payload);
            }
            handled.add(payload);
        }, properties);

        for (String payload : List.of("ok-1", "bad-1", "ok-2", "bad-2", "ok-3")) {
            output.send(MessageBuilder.withPayload(payload.getBytes(UTF_8)).build());
        }

        await().atMost(TIMEOUT).untilAsserted(() -> {
            assertThat(handled).containsExactly("ok-1", "ok-2", "ok-3");
            assertThat(pending("acks", "g").getCount()).isEqualTo(2);
        });
        producer.unbind();
        consumer.unbind();
    }

    /**
     * A processor's output, pipelined by default, is confirmed before its input is acknowledged: Redis refusing it
     * (here the output key is no stream) fails the delivery, and the input stays pending to be handled again, instead
     * of being acknowledged while its output never existed.
     */
    @Test
    void anOutputSentWhileHandlingAnEntryIsConfirmedBeforeTheEntryIsAcknowledged() {
        this.redisCommands.await(this.redisCommands.async().set(this.binder.keyBytes("not-a-stream-out"), "x".getBytes(UTF_8)));
        DirectChannel output = new DirectChannel();
        Binding<MessageChannel> processorOutput = this.binder.bindProducer("not-a-stream-out", output, producerProperties());
        ExtendedConsumerProperties<RedisConsumerProperties> properties = consumerProperties();
        properties.setMaxAttempts(1);
        properties.getExtension().setDeadLetterEnabled(false);
        List<String> handled = new CopyOnWriteArrayList<>();
        Binding<MessageChannel> consumer = bindConsumer("processor-in", "g", message -> {
            String payload = new String((byte[]) message.getPayload(), UTF_8);
            handled.add(payload);
            if (!payload.equals("no output")) {
                output.send(MessageBuilder.withPayload(message.getPayload()).build());
            }
        }, properties);

        String withOutput = xadd(this.binder.keyBytes("processor-in"), "payload", "needs its output");
        xadd(this.binder.keyBytes("processor-in"), "payload", "no output");

        // Once the entry after it is handled and acknowledged, the one whose output failed is the only one pending.
        await().atMost(TIMEOUT).untilAsserted(() -> {
            assertThat(handled).contains("needs its output", "no output");
            PendingMessages pending = pending("processor-in", "g");
            assertThat(pending.getCount()).isEqualTo(1);
            assertThat(pending.getMessageIds().getLower().getValue()).isEqualTo(withOutput);
        });
        consumer.unbind();
        processorOutput.unbind();
    }

    /** A dead letter Redis refuses (here its stream's key holds a string) is said at WARN, not only at DEBUG. */
    @Test
    @ExtendWith(OutputCaptureExtension.class)
    void aDeadLetterRedisRefusesIsReportedAndTheEntryStaysPending(CapturedOutput output) {
        String key = this.binder.key("dlq-refused");
        this.redisCommands.await(this.redisCommands.async().set(("{" + key + "}.g.dlq").getBytes(UTF_8), "x".getBytes(UTF_8)));
        ExtendedConsumerProperties<RedisConsumerProperties> properties = consumerProperties();
        properties.setMaxAttempts(1);
        Binding<MessageChannel> consumer = bindConsumer("dlq-refused", "g", message -> {
            throw new IllegalStateException("handler refuses");
        }, properties);

        String id = xadd(this.binder.keyBytes("dlq-refused"), "payload", "doomed");

        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(output.getOut())
                .contains("Could not dead-letter entry " + id + " of '" + key + "' (group 'g')").contains("WRONGTYPE"));
        assertThat(pending("dlq-refused", "g").getCount()).isEqualTo(1);
        consumer.unbind();
    }

    /** A consumer that disagrees with its producer about partitioning reads a stream nobody writes: it is told. */
    @Test
    @ExtendWith(OutputCaptureExtension.class)
    void anUnpartitionedConsumerOfAPartitionedDestinationIsWarned(CapturedOutput output) {
        xadd((this.binder.key("parted") + "-0").getBytes(UTF_8), "payload", "for partition 0");

        Binding<MessageChannel> consumer = bindConsumer("parted", "g", message -> { }, consumerProperties());

        assertThat(output.getOut()).contains("Destination 'parted' is written partitioned");
        consumer.unbind();
    }

    /**
     * Entries in a partition at or above instance-count are read by no instance (the producer has more partitions
     * than there are instances, or the count was lowered): the consumer is told.
     */
    @Test
    @ExtendWith(OutputCaptureExtension.class)
    void aPartitionedConsumerIsWarnedOfPartitionsNoInstanceReads(CapturedOutput output) {
        xadd((this.binder.key("three-parts") + "-2").getBytes(UTF_8), "payload", "for partition 2");
        ExtendedConsumerProperties<RedisConsumerProperties> properties = consumerProperties();
        properties.setPartitioned(true);
        properties.setInstanceCount(2);
        properties.setInstanceIndex(0);

        Binding<MessageChannel> consumer = bindConsumer("three-parts", "g", message -> { }, properties);

        assertThat(output.getOut()).contains("Destination 'three-parts' has entries in '" + this.binder.key("three-parts")
                + "-2', but instance-count is 2: no instance reads partition 2 or above");
        consumer.unbind();
    }

    /** With instance-index-list an instance reads several partitions, beyond instance-count: nothing to warn of. */
    @Test
    @ExtendWith(OutputCaptureExtension.class)
    void aConsumerWithAnInstanceIndexListIsNotWarnedOfPartitionsBeyondInstanceCount(CapturedOutput output) {
        xadd((this.binder.key("listed-parts") + "-2").getBytes(UTF_8), "payload", "for partition 2");
        ExtendedConsumerProperties<RedisConsumerProperties> properties = consumerProperties();
        properties.setPartitioned(true);
        properties.setInstanceIndexList(List.of(0, 1, 2));
        properties.setInstanceIndex(2);

        Binding<MessageChannel> consumer = bindConsumer("listed-parts", "g", message -> { }, properties);

        assertThat(output.getOut()).doesNotContain("Destination 'listed-parts'");
        consumer.unbind();
    }

    /** Settings Redis would accept and then misbehave with are refused when binding, naming the property. */
    @Test
    void consumerSettingsThatWouldMisbehaveAreRefusedWhenBinding() {
        Map<String, java.util.function.Consumer<RedisConsumerProperties>> wrong = Map.of(
                "count", p -> p.setCount(0),
                "block", p -> p.setBlock(Duration.ZERO),
                "claim-interval", p -> p.setClaimInterval(Duration.ofSeconds(-1)),
                "claim-min-idle", p -> p.setClaimMinIdle(Duration.ofMillis(299)),
                "max-deliveries", p -> p.setMaxDeliveries(0),
                "dead-consumer-idle", p -> p.setDeadConsumerIdle(Duration.ZERO),
                // Without use-native-decoding the framework would convert the payload and ignore the setting.
                "payload-type", p -> p.setPayloadType(String.class.getName()));
        wrong.forEach((property, setting) -> {
            ExtendedConsumerProperties<RedisConsumerProperties> properties = consumerProperties();
            setting.accept(properties.getExtension());
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> bindConsumer("misconfigured", "g", message -> { },
                    properties)).as(property).hasStackTraceContaining("Redis consumer property '" + property + "' must be");
        });
    }

    @Test
    void aPayloadTypeThatIsNotOnTheClassPathIsRefusedWhenBinding() {
        ExtendedConsumerProperties<RedisConsumerProperties> properties = consumerProperties();
        properties.setUseNativeDecoding(true);
        properties.getExtension().setPayloadType("com.example.NoSuchEvent");

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> bindConsumer("misconfigured", "g", message -> { },
                properties)).hasStackTraceContaining("Redis consumer property 'payload-type' must be the name of a class "
                        + "on the class path, got com.example.NoSuchEvent");
    }

    @Test
    void malformedEntriesGoToTheErrorChannelWithStreamAndIdAndTheReaderLivesOn() {
        List<Message<?>> received = new CopyOnWriteArrayList<>();
        ExtendedConsumerProperties<RedisConsumerProperties> properties = consumerProperties();
        properties.populateBindingName("malformedIn");
        Binding<MessageChannel> consumer = bindConsumer("malformed", "g", received::add, properties);
        List<ErrorMessage> errors = new CopyOnWriteArrayList<>();
        this.binder.errorChannel("malformedIn").subscribe(message -> errors.add((ErrorMessage) message));

        byte[] key = this.binder.keyBytes("malformed");
        String noPayload = xadd(key, "body", "no payload field here");
        String badHeader = xadd(key, "payload", "x", "count", "not-a-number", "scst_headerTypes", "{\"count\":\"int\"}");
        // Another producer's entry, with fields a message header may not have.
        String foreign = xadd(key, "id", "7", "timestamp", "1700000000", "data", "x");
        xadd(key, "payload", "good");

        await().atMost(TIMEOUT).until(() -> received.size() == 1 && errors.size() == 3);
        assertThat(received.get(0).getPayload()).isEqualTo("good".getBytes(UTF_8));
        assertThat(errors).extracting(error -> ((MessagingException) error.getPayload()).getFailedMessage().getHeaders()
                .get(RedisStreamHeaders.RECORD_ID)).containsExactly(noPayload, badHeader, foreign);
        assertThat(errors.get(0).getPayload()).hasMessageContaining("no 'payload' field")
                .hasMessageContaining(this.binder.key("malformed"));
        assertThat(errors.get(1).getPayload()).hasMessageContaining("header 'count' is not a valid int");
        consumer.unbind();
    }

    @Test
    void pausedConsumerReadsNothingUntilResumed() {
        DirectChannel output = new DirectChannel();
        Binding<MessageChannel> producer = this.binder.bindProducer("paused", output, producerProperties());
        List<Message<?>> received = new CopyOnWriteArrayList<>();
        Binding<MessageChannel> consumer = bindConsumer("paused", "g", received::add, consumerProperties());

        consumer.pause();
        output.send(MessageBuilder.withPayload("while paused".getBytes(UTF_8)).build());
        // The entry is in the stream but undelivered: the group's last-delivered id has not moved.
        await().atMost(TIMEOUT).until(() -> this.redisCommands.await(
                this.redisCommands.async().xlen(this.binder.keyBytes("paused"))) == 1);
        assertThat(groupInfo("paused").get("last-delivered-id")).isEqualTo("0-0");
        assertThat(received).isEmpty();

        consumer.resume();
        await().atMost(TIMEOUT).until(() -> received.size() == 1);
        producer.unbind();
        consumer.unbind();
    }

    /** A pause arriving while a read batch is handled holds the rest of that batch until resume too. */
    @Test
    void aPauseMidBatchHoldsTheRestOfTheBatchUntilResumed() {
        byte[] key = this.binder.keyBytes("paused-mid-batch");
        for (int i = 0; i < 10; i++) {
            xadd(key, "payload", "e" + i);
        }
        List<String> handled = new CopyOnWriteArrayList<>();
        java.util.concurrent.atomic.AtomicReference<Binding<MessageChannel>> binding = new java.util.concurrent.atomic.AtomicReference<>();
        java.util.concurrent.CountDownLatch bound = new java.util.concurrent.CountDownLatch(1);
        binding.set(bindConsumer("paused-mid-batch", "g", message -> {
            awaitQuietly(bound);
            handled.add(new String((byte[]) message.getPayload(), UTF_8));
            if (handled.size() == 1) {
                binding.get().pause();
            }
        }, consumerProperties()));
        bound.countDown();

        await().atMost(TIMEOUT).until(() -> !handled.isEmpty() && binding.get().isPaused());
        int handledWhilePaused = handled.size();
        binding.get().resume();

        await().atMost(TIMEOUT).until(() -> handled.size() == 10);
        assertThat(handledWhilePaused).isEqualTo(1);
        binding.get().unbind();
    }

    private static void awaitQuietly(java.util.concurrent.CountDownLatch latch) {
        try {
            latch.await();
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void anonymousGroupIsDeletedOnUnbind() {
        Binding<MessageChannel> consumer = bindConsumer("anon", null, message -> { }, consumerProperties());
        assertThat(groupNames("anon")).singleElement().asString().startsWith("anonymous.");
        consumer.unbind();
        assertThat(groupNames("anon")).isEmpty();
    }

    /**
     * A crash leaves its anonymous group behind. The next anonymous consumer of the stream deletes it once it has
     * left an entry unread for dead-consumer-idle with its consumers idle as long; a quiet group that has read
     * everything, and any named group, stay.
     */
    @Test
    void anAnonymousGroupACrashLeftBehindIsDeletedWhenAnotherAnonymousConsumerBinds() {
        byte[] key = this.binder.keyBytes("feed");
        for (String group : List.of("anonymous.crashed", "anonymous.quiet", "billing")) {
            this.redisCommands.await(this.redisCommands.async().xgroupCreate(
                    io.lettuce.core.XReadArgs.StreamOffset.from(key, "$"), group.getBytes(UTF_8),
                    io.lettuce.core.XGroupCreateArgs.Builder.mkstream()));
        }
        xadd(key, "payload", "read by all");
        readOneAs(key, "anonymous.crashed");
        readOneAs(key, "billing");
        String unread = xadd(key, "payload", "read by the quiet group only");
        readOneAs(key, "anonymous.quiet");
        readOneAs(key, "anonymous.quiet");
        long threshold = 300;
        await().atMost(TIMEOUT).until(() -> System.currentTimeMillis() - Long.parseLong(unread.split("-")[0]) > threshold * 2);

        ExtendedConsumerProperties<RedisConsumerProperties> properties = consumerProperties();
        properties.getExtension().setDeadConsumerIdle(Duration.ofMillis(threshold));
        Binding<MessageChannel> consumer = bindConsumer("feed", null, message -> { }, properties);

        assertThat(groupNames("feed")).doesNotContain("anonymous.crashed").contains("anonymous.quiet", "billing")
                .hasSize(3);
        consumer.unbind();
    }

    private void readOneAs(byte[] key, String group) {
        this.redisCommands.await(this.redisCommands.async().xreadgroup(
                io.lettuce.core.Consumer.from(group.getBytes(UTF_8), "ghost".getBytes(UTF_8)),
                io.lettuce.core.XReadArgs.Builder.count(1), io.lettuce.core.XReadArgs.StreamOffset.lastConsumed(key)));
    }

    @Test
    @ExtendWith(OutputCaptureExtension.class)
    void anonymousUnbindWhileRedisIsUnreachableLeavesTheGroupAndSaysSo(CapturedOutput output) {
        try (TcpProxy proxy = TcpProxy.to(redis.server().host(), redis.server().port())) {
            RedisTestBinder viaProxy = new RedisTestBinder("redis://127.0.0.1:" + proxy.port(), this.binder.key(""));
            DirectChannel input = new DirectChannel();
            input.subscribe(message -> { });
            Binding<MessageChannel> consumer = viaProxy.getBinder().bindConsumer("unreachable", null, input, consumerProperties());
            assertThat(groupNames("unreachable")).hasSize(1);
            proxy.cut();
            await().atMost(TIMEOUT).until(() -> !viaProxy.connector().sharedIfOpened().isOpen());

            consumer.unbind();

            assertThat(output).contains("Redis is unreachable: anonymous group 'anonymous.");
            assertThat(groupNames("unreachable")).hasSize(1);
            proxy.restore();
            await().atMost(TIMEOUT).until(() -> viaProxy.connector().sharedIfOpened().isOpen());
            viaProxy.close();
        }
    }

    @Test
    void newGroupStartsAtTheConfiguredOffset() {
        byte[] key = this.binder.keyBytes("offsets");
        xadd(key, "payload", "before");
        List<Message<?>> fromEarliest = new CopyOnWriteArrayList<>();
        List<Message<?>> fromLatest = new CopyOnWriteArrayList<>();
        Binding<MessageChannel> earliest = bindConsumer("offsets", "earliest", fromEarliest::add, consumerProperties());
        ExtendedConsumerProperties<RedisConsumerProperties> latestProperties = consumerProperties();
        latestProperties.getExtension().setStartOffset(io.flextime.streams.binder.properties.StartOffset.LATEST);
        Binding<MessageChannel> latest = bindConsumer("offsets", "latest", fromLatest::add, latestProperties);
        xadd(key, "payload", "after");

        await().atMost(TIMEOUT).until(() -> fromEarliest.size() == 2 && fromLatest.size() == 1);
        assertThat(fromLatest.get(0).getPayload()).isEqualTo("after".getBytes(UTF_8));
        earliest.unbind();
        latest.unbind();
    }

    @Test
    void eachBindingOfAnInstanceIndexListReadsExactlyTheKeyOfItsOwnIndex() {
        ExtendedProducerProperties<RedisProducerProperties> producerProperties = producerProperties();
        producerProperties.setPartitionKeyExpression(new org.springframework.expression.spel.standard.SpelExpressionParser()
                .parseExpression("headers['partition']"));
        producerProperties.setPartitionSelectorExpression(new org.springframework.expression.spel.standard.SpelExpressionParser()
                .parseExpression("#root"));
        producerProperties.setPartitionCount(4);
        DirectChannel output = new DirectChannel();
        Binding<MessageChannel> producer = this.binder.bindProducer("parts", output, producerProperties);
        List<Message<?>> received = new CopyOnWriteArrayList<>();
        // What the framework's binding service does with instance-index-list 1,3: one binding per index, each
        // with a copy of the properties, list included, and its own instanceIndex.
        List<Binding<MessageChannel>> consumers = new ArrayList<>();
        for (int index : List.of(1, 3)) {
            ExtendedConsumerProperties<RedisConsumerProperties> properties = consumerProperties();
            properties.setPartitioned(true);
            properties.setInstanceCount(2);
            properties.setInstanceIndexList(List.of(1, 3));
            properties.setInstanceIndex(index);
            consumers.add(bindConsumer("parts", "g", received::add, properties));
        }

        for (int partition = 0; partition < 4; partition++) {
            // The framework normally sets scst_partition through its partitioning interceptor; here we set it directly.
            output.send(MessageBuilder.withPayload(("p" + partition).getBytes(UTF_8))
                    .setHeader("scst_partition", partition).build());
        }

        await().atMost(TIMEOUT).until(() -> received.size() == 2);
        assertThat(received).extracting(message -> message.getHeaders().get(RedisStreamHeaders.STREAM))
                .containsExactlyInAnyOrder(this.binder.key("parts-1"), this.binder.key("parts-3"));
        assertThat(groupNames("parts-0")).isEmpty();
        assertThat(consumerNames("parts-1", "g")).hasSize(1);
        assertThat(consumerNames("parts-3", "g")).hasSize(1);
        producer.unbind();
        consumers.forEach(Binding::unbind);
    }

    private Binding<MessageChannel> bindConsumer(String destination, String group,
            java.util.function.Consumer<Message<?>> handler, ExtendedConsumerProperties<RedisConsumerProperties> properties) {
        DirectChannel input = new DirectChannel();
        input.subscribe(handler::accept);
        return this.binder.getBinder().bindConsumer(destination, group, input, properties);
    }

    private String xadd(byte[] key, String... fieldsAndValues) {
        Object[] bytes = new Object[fieldsAndValues.length];
        for (int i = 0; i < fieldsAndValues.length; i++) {
            bytes[i] = fieldsAndValues[i].getBytes(UTF_8);
        }
        return this.redisCommands.await(this.redisCommands.async().xadd(key, bytes));
    }

    private PendingMessages pending(String destination, String group) {
        return this.redisCommands.await(this.redisCommands.async().xpending(this.binder.keyBytes(destination), group.getBytes(UTF_8)));
    }

    private List<Object> groupNames(String destination) {
        return this.redisCommands.await(this.redisCommands.async().xinfoGroups(this.binder.keyBytes(destination))).stream()
                .map(group -> infoMap(group).get("name")).toList();
    }

    private List<Object> consumerNames(String destination, String group) {
        return this.redisCommands.await(this.redisCommands.async().xinfoConsumers(this.binder.keyBytes(destination),
                group.getBytes(UTF_8))).stream().map(consumer -> infoMap(consumer).get("name")).toList();
    }

    private Map<String, Object> groupInfo(String destination) {
        return infoMap(this.redisCommands.await(this.redisCommands.async().xinfoGroups(this.binder.keyBytes(destination))).get(0));
    }

    /** XINFO replies are flat lists of alternating names and values; text values arrive as bytes. */
    private static Map<String, Object> infoMap(Object reply) {
        List<?> flat = (List<?>) reply;
        Map<String, Object> map = new java.util.HashMap<>();
        for (int i = 0; i + 1 < flat.size(); i += 2) {
            Object value = flat.get(i + 1);
            map.put(text(flat.get(i)), value instanceof byte[] bytes ? new String(bytes, UTF_8) : value);
        }
        return map;
    }

    private static String text(Object value) {
        return value instanceof byte[] bytes ? new String(bytes, UTF_8) : String.valueOf(value);
    }

    private static ExtendedProducerProperties<RedisProducerProperties> producerProperties() {
        return new ExtendedProducerProperties<>(new RedisProducerProperties());
    }

    private static ExtendedConsumerProperties<RedisConsumerProperties> consumerProperties() {
        ExtendedConsumerProperties<RedisConsumerProperties> properties =
                new ExtendedConsumerProperties<>(new RedisConsumerProperties());
        properties.getExtension().setBlock(Duration.ofMillis(200));
        return properties;
    }
}
