package io.flextime.streams.binder;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import io.lettuce.core.StreamMessage;
import io.lettuce.core.XReadArgs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.cloud.stream.binder.Binding;
import org.springframework.cloud.stream.binder.ExtendedProducerProperties;
import org.springframework.integration.channel.DirectChannel;
import org.springframework.integration.channel.QueueChannel;
import org.springframework.messaging.Message;
import org.springframework.messaging.MessageChannel;
import org.springframework.messaging.MessageDeliveryException;
import org.springframework.messaging.support.ErrorMessage;
import org.springframework.messaging.support.MessageBuilder;

import io.flextime.streams.binder.connection.StreamConnection;
import io.flextime.streams.binder.properties.RedisProducerProperties;
import io.flextime.streams.binder.support.RedisStreamHeaders;
import io.flextime.streams.testing.RedisServerExtension;
import tools.jackson.databind.json.JsonMapper;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The outbound side against real Redis: wire format, trimming, sync sends and failed sends. */
class RedisBinderProducerTests {

    @RegisterExtension
    static final RedisServerExtension redis = new RedisServerExtension();

    private RedisTestBinder binder;

    @BeforeEach
    void createBinder() {
        this.binder = new RedisTestBinder(redis.server(), "producer-" + UUID.randomUUID() + ":");
    }

    @AfterEach
    void closeBinder() {
        this.binder.close();
    }

    @Test
    void writesPayloadFieldAndOneReadableFieldPerHeader() {
        DirectChannel output = new DirectChannel();
        Binding<MessageChannel> binding = this.binder.bindProducer("wire", output, producerProperties(p -> { }));
        UUID traceId = UUID.randomUUID();
        output.send(MessageBuilder.withPayload("{\"id\":1}".getBytes(UTF_8))
                .setHeader("contentType", "application/json")
                .setHeader("attempt", 3)
                .setHeader("traceId", traceId)
                .build());

        List<StreamMessage<byte[], byte[]>> entries = awaitEntries("wire", 1);
        Map<String, String> fields = asStrings(entries.get(0).getBody());
        assertThat(fields).containsEntry("payload", "{\"id\":1}")
                .containsEntry("contentType", "application/json")
                .containsEntry("attempt", "3")
                .containsEntry("traceId", traceId.toString())
                .doesNotContainKeys("id", "timestamp");
        assertThat(JsonMapper.builder().build().readValue(fields.get("scst_headerTypes"), Map.class))
                .isEqualTo(Map.of("attempt", "int", "traceId", "uuid"));
        binding.unbind();
    }

    @Test
    void trimsToAboutMaxLength() {
        DirectChannel output = new DirectChannel();
        Binding<MessageChannel> binding = this.binder.bindProducer("trimmed", output,
                producerProperties(p -> p.setMaxLength(100L)));
        for (int i = 0; i < 2_000; i++) {
            output.send(MessageBuilder.withPayload(("m" + i).getBytes(UTF_8)).build());
        }
        StreamConnection connection = this.binder.connector().shared();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
                connection.await(connection.async().xrange(this.binder.keyBytes("trimmed"), io.lettuce.core.Range.create("-", "+")))
                        .stream().map(e -> new String(asStrings(e.getBody()).get("payload"))).toList()).contains("m1999"));
        // MAXLEN ~ trims whole radix-tree nodes (100 entries by default), so the length stays within one node of the limit.
        assertThat(connection.await(connection.async().xlen(this.binder.keyBytes("trimmed")))).isBetween(100L, 200L);
        binding.unbind();
    }

    @Test
    void trimsEntriesOlderThanMaxAge() {
        StreamConnection connection = this.binder.connector().shared();
        byte[] key = this.binder.keyBytes("aged");
        long hourAgo = System.currentTimeMillis() - Duration.ofHours(1).toMillis();
        for (int i = 0; i < 5; i++) {
            connection.await(connection.async().xadd(key, new io.lettuce.core.XAddArgs().id(hourAgo + "-" + i),
                    "payload".getBytes(UTF_8), ("old" + i).getBytes(UTF_8)));
        }
        DirectChannel output = new DirectChannel();
        Binding<MessageChannel> binding = this.binder.bindProducer("aged", output, producerProperties(p -> {
            p.setMaxAge(Duration.ofMinutes(10));
            // Exact trimming: '~' only removes whole radix-tree nodes, which five entries never fill.
            p.setApproximateTrimming(false);
            p.setSync(true);
        }));

        // The first send learns Redis' clock from the id it gets back; the next one trims by it.
        output.send(MessageBuilder.withPayload("first".getBytes(UTF_8)).build());
        output.send(MessageBuilder.withPayload("fresh".getBytes(UTF_8)).build());

        assertThat(connection.await(connection.async().xrange(key, io.lettuce.core.Range.create("-", "+"))))
                .extracting(entry -> asStrings(entry.getBody()).get("payload")).containsExactly("first", "fresh");
        binding.unbind();
    }

    @Test
    void syncSendReportsTheRecordIdOnTheMetadataChannel() {
        QueueChannel metadata = new QueueChannel();
        this.binder.applicationContext().registerBean("sentRecords", MessageChannel.class, () -> metadata);
        DirectChannel output = new DirectChannel();
        Binding<MessageChannel> binding = this.binder.bindProducer("synced", output, producerProperties(p -> {
            p.setSync(true);
            p.setRecordMetadataChannel("sentRecords");
        }));

        output.send(MessageBuilder.withPayload("one".getBytes(UTF_8)).build());

        Message<?> sent = metadata.receive(0);
        assertThat(sent).isNotNull();
        String recordId = (String) sent.getHeaders().get(RedisStreamHeaders.RECORD_ID);
        assertThat(sent.getHeaders().get(RedisStreamHeaders.STREAM)).isEqualTo(this.binder.key("synced"));
        assertThat(awaitEntries("synced", 1).get(0).getId()).isEqualTo(recordId);
        binding.unbind();
    }

    @Test
    void pipelinedSendsReportTheirRecordIdsOnTheMetadataChannelToo() {
        QueueChannel metadata = new QueueChannel();
        this.binder.applicationContext().registerBean("pipelinedRecords", MessageChannel.class, () -> metadata);
        DirectChannel output = new DirectChannel();
        Binding<MessageChannel> binding = this.binder.bindProducer("pipelined", output,
                producerProperties(p -> p.setRecordMetadataChannel("pipelinedRecords")));

        output.send(MessageBuilder.withPayload("one".getBytes(UTF_8)).build());

        Message<?> sent = metadata.receive(10_000);
        assertThat(sent).isNotNull();
        assertThat(sent.getPayload()).isEqualTo("one".getBytes(UTF_8));
        assertThat(awaitEntries("pipelined", 1).get(0).getId()).isEqualTo(sent.getHeaders().get(RedisStreamHeaders.RECORD_ID));
        binding.unbind();
    }

    /** The entry is stored by then: a failing metadata subscriber must not turn the send into a failure. */
    @Test
    void aFailingMetadataSubscriberDoesNotFailASendThatWasStored() {
        DirectChannel metadata = new DirectChannel();
        metadata.subscribe(message -> {
            throw new IllegalStateException("metadata store down");
        });
        this.binder.applicationContext().registerBean("failingRecords", MessageChannel.class, () -> metadata);
        DirectChannel output = new DirectChannel();
        Binding<MessageChannel> binding = this.binder.bindProducer("stored", output, producerProperties(p -> {
            p.setSync(true);
            p.setRecordMetadataChannel("failingRecords");
        }));

        assertThat(output.send(MessageBuilder.withPayload("kept".getBytes(UTF_8)).build())).isTrue();
        assertThat(awaitEntries("stored", 1)).hasSize(1);
        binding.unbind();
    }

    @Test
    void syncSendFailureReachesTheCaller() {
        StreamConnection connection = this.binder.connector().shared();
        connection.await(connection.async().set(this.binder.keyBytes("not-a-stream"), "x".getBytes(UTF_8)));
        DirectChannel output = new DirectChannel();
        Binding<MessageChannel> binding = this.binder.bindProducer("not-a-stream", output, producerProperties(p -> p.setSync(true)));

        assertThatThrownBy(() -> output.send(MessageBuilder.withPayload("x".getBytes(UTF_8)).build()))
                .isInstanceOf(MessageDeliveryException.class)
                .hasMessageContaining("XADD to stream '" + this.binder.key("not-a-stream") + "'")
                .hasMessageContaining("WRONGTYPE");
        binding.unbind();
    }

    /**
     * An error flow that sends the failed message again, from the callback thread, while every in-flight slot is
     * taken (here the only one, held by the failed send until its callback returns): the send must go out, not
     * wait for a slot that only this very thread can give back and then be dropped.
     */
    @Test
    void anErrorFlowThatSendsAgainWhileEverySlotIsTakenGetsThrough() {
        StreamConnection connection = this.binder.connector().shared();
        byte[] key = this.binder.keyBytes("resent");
        connection.await(connection.async().set(key, "x".getBytes(UTF_8)));
        DirectChannel output = new DirectChannel();
        ExtendedProducerProperties<RedisProducerProperties> properties = producerProperties(p -> {
            p.setMaxInFlight(1);
            p.setSendTimeout(Duration.ofSeconds(1));
        });
        properties.setErrorChannelEnabled(true);
        properties.populateBindingName("resentOut");
        Binding<MessageChannel> binding = this.binder.bindProducer("resent", output, properties);
        this.binder.errorChannel("resentOut").subscribe(message -> {
                    // Make the key a stream again, then send the message once more.
                    connection.await(connection.async().del(key));
                    output.send(((ErrorMessage) message).getOriginalMessage());
                });

        output.send(MessageBuilder.withPayload("again".getBytes(UTF_8)).build());

        await().atMost(Duration.ofSeconds(10)).until(() -> connection.await(connection.async().exists(key)) == 1
                && connection.await(connection.async().type(key)).equals("stream"));
        assertThat(connection.await(connection.async().xrange(key, io.lettuce.core.Range.create("-", "+"))))
                .extracting(entry -> asStrings(entry.getBody()).get("payload")).containsExactly("again");
        binding.unbind();
    }

    @Test
    void pipelinedSendFailureReachesTheErrorChannel() {
        StreamConnection connection = this.binder.connector().shared();
        connection.await(connection.async().set(this.binder.keyBytes("wrong-type"), "x".getBytes(UTF_8)));
        DirectChannel output = new DirectChannel();
        ExtendedProducerProperties<RedisProducerProperties> properties = producerProperties(p -> { });
        properties.setErrorChannelEnabled(true);
        properties.populateBindingName("wrongTypeOut");
        Binding<MessageChannel> binding = this.binder.bindProducer("wrong-type", output, properties);
        List<ErrorMessage> errors = new CopyOnWriteArrayList<>();
        List<String> subscriberThreads = new CopyOnWriteArrayList<>();
        this.binder.errorChannel("wrongTypeOut").subscribe(message -> {
                    subscriberThreads.add(Thread.currentThread().getName());
                    errors.add((ErrorMessage) message);
                });

        output.send(MessageBuilder.withPayload("lost?".getBytes(UTF_8)).build());

        await().atMost(Duration.ofSeconds(10)).until(() -> !errors.isEmpty());
        assertThat(errors.get(0).getPayload()).hasMessageContaining("WRONGTYPE");
        assertThat(errors.get(0).getOriginalMessage().getPayload()).isEqualTo("lost?".getBytes(UTF_8));
        // Not on Lettuce's I/O thread, where a blocking subscriber would hold up every reply on the connection.
        assertThat(subscriberThreads).singleElement().asString().startsWith("redis-streams-send-callbacks.");
        binding.unbind();
    }

    /**
     * With auto-startup off the framework does not start the producer but still subscribes it, so sends go out: a
     * failed one must still reach the error channel (its callback once had no thread to run on and was lost).
     */
    @Test
    void aProducerNeverStartedStillReportsAFailedSend() {
        StreamConnection connection = this.binder.connector().shared();
        connection.await(connection.async().set(this.binder.keyBytes("not-started"), "x".getBytes(UTF_8)));
        DirectChannel output = new DirectChannel();
        ExtendedProducerProperties<RedisProducerProperties> properties = producerProperties(p -> { });
        properties.setErrorChannelEnabled(true);
        properties.setAutoStartup(false);
        properties.populateBindingName("notStartedOut");
        Binding<MessageChannel> binding = this.binder.bindProducer("not-started", output, properties);
        List<ErrorMessage> errors = new CopyOnWriteArrayList<>();
        this.binder.errorChannel("notStartedOut").subscribe(message -> errors.add((ErrorMessage) message));

        output.send(MessageBuilder.withPayload("unstarted".getBytes(UTF_8)).build());

        await().atMost(Duration.ofSeconds(10)).until(() -> !errors.isEmpty());
        assertThat(errors.get(0).getPayload()).hasMessageContaining("WRONGTYPE");
        binding.unbind();
    }

    /**
     * At most max-in-flight sends await Redis' reply: the next sender waits for one of them, and gives up after the
     * send-timeout, saying why. Redis holds writes for two seconds here, the first send's among them.
     */
    @Test
    void aSenderBeyondMaxInFlightWaitsAndGivesUpAfterTheSendTimeout() {
        DirectChannel output = new DirectChannel();
        Binding<MessageChannel> binding = this.binder.bindProducer("bounded", output, producerProperties(p -> {
            p.setMaxInFlight(1);
            p.setSendTimeout(Duration.ofMillis(300));
        }));
        StreamConnection connection = this.binder.connector().shared();
        connection.await(connection.async().dispatch(io.lettuce.core.protocol.CommandType.CLIENT,
                new io.lettuce.core.output.StatusOutput<>(io.lettuce.core.codec.ByteArrayCodec.INSTANCE),
                new io.lettuce.core.protocol.CommandArgs<>(io.lettuce.core.codec.ByteArrayCodec.INSTANCE)
                        .add("PAUSE").add(2_000).add("WRITE")));

        output.send(MessageBuilder.withPayload("in flight".getBytes(UTF_8)).build());
        assertThatThrownBy(() -> output.send(MessageBuilder.withPayload("one too many".getBytes(UTF_8)).build()))
                .isInstanceOf(MessageDeliveryException.class)
                .hasMessageContaining("1 sends are awaiting Redis' reply").hasMessageContaining("none completed within PT0.3S");

        // Once Redis takes writes again, the first lands; the refused one was never sent.
        byte[] key = this.binder.keyBytes("bounded");
        await().atMost(Duration.ofSeconds(10)).until(() -> connection.await(connection.async().xlen(key)) == 1);
        assertThat(connection.await(connection.async().xrange(key, io.lettuce.core.Range.create("-", "+"))))
                .extracting(entry -> asStrings(entry.getBody()).get("payload")).containsExactly("in flight");
        binding.unbind();
    }

    @Test
    void refusesMaxLengthTogetherWithMaxAge() {
        DirectChannel output = new DirectChannel();
        assertThatThrownBy(() -> this.binder.bindProducer("both", output, producerProperties(p -> {
            p.setMaxLength(10L);
            p.setMaxAge(Duration.ofMinutes(1));
        }))).hasStackTraceContaining("either maxLength or maxAge");
    }

    /** Redis would accept these and drop the messages (MAXLEN 0, MINID now) or refuse every send. */
    @Test
    void refusesLimitsThatWouldLoseEverythingOrBlockEverySend() {
        DirectChannel output = new DirectChannel();
        assertThatThrownBy(() -> this.binder.bindProducer("none-kept", output, producerProperties(p -> p.setMaxLength(0L))))
                .hasStackTraceContaining("maxLength on a Redis producer must be at least 1, got 0");
        assertThatThrownBy(() -> this.binder.bindProducer("all-too-old", output,
                producerProperties(p -> p.setMaxAge(Duration.ZERO))))
                .hasStackTraceContaining("maxAge on a Redis producer must be positive");
        assertThatThrownBy(() -> this.binder.bindProducer("never-sent", output, producerProperties(p -> p.setMaxInFlight(0))))
                .hasStackTraceContaining("maxInFlight on a Redis producer must be at least 1");
        assertThatThrownBy(() -> this.binder.bindProducer("no-timeout", output,
                producerProperties(p -> p.setSendTimeout(Duration.ZERO))))
                .hasStackTraceContaining("sendTimeout on a Redis producer must be at least 1 ms");
        assertThatThrownBy(() -> this.binder.bindProducer("replicas", output, producerProperties(p -> p.setWaitReplicas(-1))))
                .hasStackTraceContaining("waitReplicas on a Redis producer must be 0");
        assertThatThrownBy(() -> this.binder.bindProducer("forever", output, producerProperties(p -> {
            p.setWaitReplicas(1);
            p.setWaitTimeout(Duration.ofNanos(500_000));
        }))).hasStackTraceContaining("waitTimeout on a Redis producer must be at least 1 ms");
    }

    private static ExtendedProducerProperties<RedisProducerProperties> producerProperties(
            java.util.function.Consumer<RedisProducerProperties> customizer) {
        ExtendedProducerProperties<RedisProducerProperties> properties =
                new ExtendedProducerProperties<>(new RedisProducerProperties());
        customizer.accept(properties.getExtension());
        return properties;
    }

    private List<StreamMessage<byte[], byte[]>> awaitEntries(String destination, int count) {
        StreamConnection connection = this.binder.connector().shared();
        return await().atMost(Duration.ofSeconds(10)).until(
                () -> connection.await(connection.async().xread(XReadArgs.Builder.count(count),
                        XReadArgs.StreamOffset.from(this.binder.keyBytes(destination), "0"))),
                entries -> entries.size() == count);
    }

    static Map<String, String> asStrings(Map<byte[], byte[]> body) {
        Map<String, String> strings = new java.util.LinkedHashMap<>();
        body.forEach((k, v) -> strings.put(new String(k, UTF_8), new String(v, UTF_8)));
        return strings;
    }
}
