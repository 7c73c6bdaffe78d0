package io.flextime.streams.binder;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import io.lettuce.core.Consumer;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.XClaimArgs;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.models.stream.PendingMessage;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.cloud.stream.binder.Binding;
import org.springframework.cloud.stream.binder.ExtendedConsumerProperties;
import org.springframework.integration.StaticMessageHeaderAccessor;
import org.springframework.integration.acks.AcknowledgmentCallback;
import org.springframework.integration.channel.DirectChannel;
import org.springframework.integration.support.management.observation.MessageReceiverContext;
import org.springframework.messaging.Message;
import org.springframework.messaging.MessageChannel;
import org.springframework.messaging.support.MessageBuilder;

import tools.jackson.databind.json.JsonMapper;

import io.flextime.streams.binder.app.Order;
import io.flextime.streams.binder.connection.StreamConnection;
import io.flextime.streams.binder.deadletter.DeadLetter;
import io.flextime.streams.binder.deadletter.DeadLetterFields;
import io.flextime.streams.binder.deadletter.DeadLetterWriter;
import io.flextime.streams.binder.support.RedisStreamHeaders;
import io.flextime.streams.binder.support.StreamEntryCodec;
import io.flextime.streams.monitor.StreamAdmin;
import io.flextime.streams.binder.properties.AcknowledgeMode;
import io.flextime.streams.binder.properties.RedisConsumerProperties;
import io.flextime.streams.testing.RedisServerExtension;

import static io.flextime.streams.binder.RedisBinderTestSupport.consumerProperties;
import static io.flextime.streams.binder.RedisBinderTestSupport.producerProperties;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Retries, dead letters, replay, claiming, delivery limits, trimmed entries, ownership refresh and manual acks. */
class RedisBinderReliabilityTests {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    @RegisterExtension
    static final RedisServerExtension redis = new RedisServerExtension();

    private RedisTestBinder binder;

    private RedisBinderTestSupport support;

    @BeforeEach
    void createBinder() {
        this.binder = new RedisTestBinder(redis.server(), "reliability-" + UUID.randomUUID() + ":");
        this.support = new RedisBinderTestSupport(this.binder);
    }

    @AfterEach
    void closeBinder() {
        this.binder.close();
    }

    @Test
    void poisonMessageIsRetriedThenDeadLetteredWithItsStoryAndTheRestFlows() {
        DirectChannel output = new DirectChannel();
        Binding<MessageChannel> producer = this.binder.bindProducer("orders", output, producerProperties());
        AtomicInteger poisonAttempts = new AtomicInteger();
        List<String> handled = new CopyOnWriteArrayList<>();
        Binding<MessageChannel> consumer = this.support.bindConsumer("orders", "billing", message -> {
            String payload = new String((byte[]) message.getPayload(), UTF_8);
            if (payload.equals("poison")) {
                poisonAttempts.incrementAndGet();
                throw new IllegalArgumentException("cannot bill " + payload);
            }
            handled.add(payload);
        }, consumerProperties());

        output.send(MessageBuilder.withPayload("ok-1".getBytes(UTF_8)).build());
        output.send(MessageBuilder.withPayload("poison".getBytes(UTF_8)).setHeader("tenant", "big12").build());
        output.send(MessageBuilder.withPayload("ok-2".getBytes(UTF_8)).build());

        String dlq = "{" + this.binder.key("orders") + "}.billing.dlq";
        await().atMost(TIMEOUT).until(() -> handled.size() == 2 && this.support.entries(dlq).size() == 1);
        assertThat(handled).containsExactly("ok-1", "ok-2");
        assertThat(poisonAttempts).hasValue(3);
        Map<String, String> letter = this.support.entries(dlq).get(0);
        String poisonId = this.support.entries(this.binder.key("orders")).get(1).get("id");
        assertThat(letter).containsEntry("payload", "poison")
                .containsEntry("tenant", "big12")
                .containsEntry(DeadLetterFields.ORIGINAL_STREAM, this.binder.key("orders"))
                .containsEntry(DeadLetterFields.ORIGINAL_ID, poisonId)
                .containsEntry(DeadLetterFields.GROUP, "billing")
                .containsEntry(DeadLetterFields.DELIVERY_COUNT, "1")
                .containsEntry(DeadLetterFields.EXCEPTION_CLASS, IllegalArgumentException.class.getName())
                .containsEntry(DeadLetterFields.EXCEPTION_MESSAGE, "cannot bill poison")
                .containsKey(DeadLetterFields.FAILED_AT);
        // The root cause leads: the framework's wrappers around it are long, and the limit cuts from the end.
        assertThat(letter.get(DeadLetterFields.STACK_TRACE)).startsWith("Root cause: java.lang.IllegalArgumentException: cannot bill poison")
                .hasSizeLessThanOrEqualTo(DeadLetterFields.STACK_TRACE_LIMIT + 32);
        await().atMost(TIMEOUT).until(() -> this.support.pendingCount(this.binder.key("orders"), "billing") == 0);
        producer.unbind();
        consumer.unbind();
    }

    /** Dead-lettered from the message, the entry being gone: a natively decoded payload goes back to its JSON. */
    @Test
    void aNativelyDecodedPayloadWhoseEntryWasDeletedMeanwhileIsDeadLetteredAsJson() {
        String key = this.binder.key("native-deleted");
        ExtendedConsumerProperties<RedisConsumerProperties> properties = consumerProperties();
        properties.setMaxAttempts(1);
        properties.setUseNativeDecoding(true);
        properties.getExtension().setPayloadType(Order.class.getName());
        Binding<MessageChannel> consumer = this.support.bindConsumer("native-deleted", "g", message -> {
            String id = (String) message.getHeaders().get(RedisStreamHeaders.RECORD_ID);
            this.support.redis().await(this.support.redis().async().xdel(key.getBytes(UTF_8), id));
            throw new IllegalStateException("cannot handle " + message.getPayload());
        }, properties);
        this.support.xadd("native-deleted", false, "payload", "{\"id\":\"o-1\",\"customer\":\"tcu\",\"sequence\":1,\"amountCents\":5}");

        String dlq = "{" + key + "}.g.dlq";
        await().atMost(TIMEOUT).until(() -> this.support.entries(dlq).size() == 1);
        assertThat(this.support.entries(dlq).get(0))
                .containsEntry("payload", "{\"id\":\"o-1\",\"customer\":\"tcu\",\"sequence\":1,\"amountCents\":5}")
                .containsEntry("contentType", "application/json");
        consumer.unbind();
    }

    @Test
    void nonRetryableExceptionIsDeadLetteredAfterOneAttempt() {
        AtomicInteger attempts = new AtomicInteger();
        ExtendedConsumerProperties<RedisConsumerProperties> properties = consumerProperties();
        properties.setMaxAttempts(5);
        properties.setRetryableExceptions(Map.of(IllegalArgumentException.class, false));
        Binding<MessageChannel> consumer = this.support.bindConsumer("fatal", "g", message -> {
            attempts.incrementAndGet();
            throw new IllegalArgumentException("never going to work");
        }, properties);
        this.support.xadd("fatal", false, "payload", "x");

        await().atMost(TIMEOUT).until(() -> this.support.entries("{" + this.binder.key("fatal") + "}.g.dlq").size() == 1);
        assertThat(attempts).hasValue(1);
        consumer.unbind();
    }

    @Test
    void deadLettersCanBeReplayedToTheOriginalStream() {
        AtomicBoolean fixed = new AtomicBoolean();
        List<String> handled = new CopyOnWriteArrayList<>();
        ExtendedConsumerProperties<RedisConsumerProperties> properties = consumerProperties();
        properties.setMaxAttempts(1);
        Binding<MessageChannel> consumer = this.support.bindConsumer("replayed", "g", message -> {
            if (!fixed.get()) {
                throw new IllegalStateException("not yet");
            }
            handled.add(new String((byte[]) message.getPayload(), UTF_8) + "/" + message.getHeaders().get("tenant"));
        }, properties);
        this.support.xadd("replayed", false, "payload", "again", "tenant", "tcu");
        String dlq = "{" + this.binder.key("replayed") + "}.g.dlq";
        await().atMost(TIMEOUT).until(() -> this.support.entries(dlq).size() == 1);

        fixed.set(true);
        StreamAdmin.ReplayResult result;
        try (io.lettuce.core.RedisClient client = io.lettuce.core.RedisClient.create(redis.server().uri().toString());
                StreamAdmin admin = StreamAdmin.open(client, Duration.ofSeconds(10))) {
            result = admin.replayDeadLetters(dlq, 100, "");
        }

        assertThat(result.replayed()).singleElement().extracting(StreamAdmin.Replayed::stream)
                .isEqualTo(this.binder.key("replayed"));
        await().atMost(TIMEOUT).until(() -> handled.size() == 1);
        assertThat(handled).containsExactly("again/tcu");
        assertThat(this.support.entries(dlq)).isEmpty();
        consumer.unbind();
    }

    @Test
    void entriesAbandonedByACrashedConsumerAreClaimedAndItIsRemovedOnceIdleAndEmpty() {
        String key = this.binder.key("abandoned");
        this.support.xadd("abandoned", false, "payload", "left-behind");
        createGroup(key, "g");
        readAs(key, "g", "crashed-0", false);
        assertThat(this.support.pendingCount(key, "g")).isEqualTo(1);

        List<String> handled = new CopyOnWriteArrayList<>();
        Binding<MessageChannel> consumer = this.support.bindConsumer("abandoned", "g",
                message -> handled.add(new String((byte[]) message.getPayload(), UTF_8)), claimingQuickly());

        await().atMost(TIMEOUT).until(() -> handled.size() == 1);
        await().atMost(TIMEOUT).until(() -> this.support.pendingCount(key, "g") == 0);
        await().atMost(TIMEOUT).until(() -> consumerNames(key, "g").stream().noneMatch("crashed-0"::equals));
        consumer.unbind();
    }

    @Test
    void entryDeliveredTooOftenIsDeadLetteredWithoutBeingHandledAgain() {
        String key = this.binder.key("crashloop");
        this.support.xadd("crashloop", false, "payload", "kills-the-process");
        createGroup(key, "g");
        // Eleven deliveries to the same consumer, as if the process died eleven times while handling it.
        for (int i = 0; i < 11; i++) {
            readAs(key, "g", "victim-0", i > 0);
        }
        AtomicInteger handled = new AtomicInteger();
        ExtendedConsumerProperties<RedisConsumerProperties> properties = consumerProperties();
        properties.getExtension().setConsumerName("victim");
        Binding<MessageChannel> consumer = this.support.bindConsumer("crashloop", "g", message -> handled.incrementAndGet(), properties);

        String dlq = "{" + key + "}.g.dlq";
        await().atMost(TIMEOUT).until(() -> this.support.entries(dlq).size() == 1);
        assertThat(this.support.entries(dlq).get(0)).containsEntry("payload", "kills-the-process")
                .containsEntry(DeadLetterFields.DELIVERY_COUNT, "12")
                .containsEntry(DeadLetterFields.EXCEPTION_CLASS,
                        "io.flextime.streams.binder.inbound.EntryDeadLetters$DeliveryLimitExceededException");
        await().atMost(TIMEOUT).until(() -> this.support.pendingCount(key, "g") == 0);
        assertThat(handled).hasValue(0);
        consumer.unbind();
    }

    @Test
    void pendingEntriesWhoseBodiesWereTrimmedAreAcknowledgedAndCountedNotHandled() {
        // Left by another consumer: taken over by XAUTOCLAIM, which reports the id as deleted.
        assertTrimmedEntryIsAcknowledgedAndCountedNotHandled("trimmed", "crashed-0", claimingQuickly());
    }

    @Test
    void anOwnPendingEntryWhoseBodyWasTrimmedIsAcknowledgedAndCountedNotHandled() {
        // Left by this consumer name: recovered at start through the ownership-checked claim, which finds no body.
        ExtendedConsumerProperties<RedisConsumerProperties> properties = consumerProperties();
        properties.getExtension().setConsumerName("returning");
        assertTrimmedEntryIsAcknowledgedAndCountedNotHandled("own-trimmed", "returning-0", properties);
    }

    /** An entry read by {@code pendingUnder} and then deleted is acknowledged and counted, never handed out. */
    private void assertTrimmedEntryIsAcknowledgedAndCountedNotHandled(String destination, String pendingUnder,
            ExtendedConsumerProperties<RedisConsumerProperties> properties) {
        String key = this.binder.key(destination);
        String id = this.support.xadd(destination, false, "payload", "gone");
        createGroup(key, "g");
        readAs(key, "g", pendingUnder, false);
        this.support.redis().await(this.support.redis().async().xdel(key.getBytes(UTF_8), id));

        AtomicInteger handled = new AtomicInteger();
        Binding<MessageChannel> consumer = this.support.bindConsumer(destination, "g", message -> handled.incrementAndGet(),
                properties);

        await().atMost(TIMEOUT).until(() -> TestBindings.adapter(consumer).getTrimmedEntryCount() == 1);
        await().atMost(TIMEOUT).until(() -> this.support.pendingCount(key, "g") == 0);
        assertThat(handled).hasValue(0);
        consumer.unbind();
    }

    @Test
    void aSlowHandlersEntryIsNotStolenByAnotherConsumerWhileItWorks() throws InterruptedException {
        // Both before the group exists: with COUNT 1 the first read takes one and the second is read ahead, so
        // the read-ahead entry must be kept too.
        this.support.xadd("slow", false, "payload", "takes-a-while");
        this.support.xadd("slow", false, "payload", "read-ahead");
        ExtendedConsumerProperties<RedisConsumerProperties> slowProperties = claimingQuickly();
        slowProperties.getExtension().setConsumerName("slow");
        slowProperties.getExtension().setCount(1);
        GatedHandler slowHandler = new GatedHandler();
        Binding<MessageChannel> slow = this.support.bindConsumer("slow", "g", slowHandler, slowProperties);
        slowHandler.awaitEntered();

        assertNothingTakenWhileHeld("slow", slow, slowHandler, "takes-a-while", "read-ahead");
    }

    @Test
    void manualAcknowledgementAcceptsRejectsToDeadLettersAndRequeues() {
        String key = this.binder.key("manual");
        List<Message<?>> received = new CopyOnWriteArrayList<>();
        ExtendedConsumerProperties<RedisConsumerProperties> properties = consumerProperties();
        properties.getExtension().setAcknowledgeMode(AcknowledgeMode.MANUAL);
        Binding<MessageChannel> consumer = this.support.bindConsumer("manual", "g", received::add, properties);
        this.support.xadd("manual", false, "payload", "accept");
        this.support.xadd("manual", false, "payload", "reject", "attempt", "2", "scst_headerTypes", "{\"attempt\":\"int\"}");
        this.support.xadd("manual", false, "payload", "requeue");
        await().atMost(TIMEOUT).until(() -> received.size() == 3);
        // Nothing is acknowledged until the handler says so.
        assertThat(this.support.pendingCount(key, "g")).isEqualTo(3);

        callback(received.get(0)).acknowledge(AcknowledgmentCallback.Status.ACCEPT);
        callback(received.get(1)).acknowledge(AcknowledgmentCallback.Status.REJECT);
        callback(received.get(2)).acknowledge(AcknowledgmentCallback.Status.REQUEUE);

        assertThat(this.support.pendingCount(key, "g")).isEqualTo(1);
        assertThat(this.support.entries("{" + key + "}.g.dlq")).singleElement().satisfies(letter -> assertThat(letter)
                .containsEntry("payload", "reject")
                // The header keeps its type, so a replay hands the handler an int again.
                .containsEntry("attempt", "2").containsEntry("scst_headerTypes", "{\"attempt\":\"int\"}")
                .containsEntry(DeadLetterFields.EXCEPTION_CLASS,
                        "io.flextime.streams.binder.inbound.EntryDeadLetters$RejectedByHandlerException"));
        consumer.unbind();
    }

    /**
     * In MANUAL mode an application may settle an entry after its handler returned, later than claim-min-idle (a
     * downstream call, a batch of its own): the entry stays this consumer's until then, not claimed and delivered
     * again meanwhile, neither to this consumer nor to another.
     */
    @Test
    void aManualEntrySettledLaterThanClaimMinIdleIsNotDeliveredAgainMeanwhile() {
        String key = this.binder.key("deferred");
        List<Message<?>> received = new CopyOnWriteArrayList<>();
        ExtendedConsumerProperties<RedisConsumerProperties> properties = claimingQuickly();
        // A claim-min-idle well above the minimum, so a stall of the refresh thread on a busy machine is no failure.
        properties.getExtension().setClaimMinIdle(Duration.ofSeconds(1));
        properties.getExtension().setAcknowledgeMode(AcknowledgeMode.MANUAL);
        Binding<MessageChannel> consumer = this.support.bindConsumer("deferred", "g", received::add, properties);
        this.support.xadd("deferred", false, "payload", "settled-later");
        await().atMost(TIMEOUT).until(() -> received.size() == 1);

        // Three times claim-min-idle, with a claim pass every claim-interval.
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(8)).until(() -> received.size() == 1);

        callback(received.get(0)).acknowledge(AcknowledgmentCallback.Status.ACCEPT);
        assertThat(this.support.pendingCount(key, "g")).isZero();
        consumer.unbind();
    }

    /**
     * A MANUAL message the application drops without settling it is not held for ever: once it is garbage its entry
     * is let go, and claimed and delivered again like any other left pending.
     */
    @Test
    void aManualMessageDroppedUnsettledIsDeliveredAgainOnceItIsGarbage() {
        java.util.concurrent.atomic.AtomicInteger deliveries = new java.util.concurrent.atomic.AtomicInteger();
        ExtendedConsumerProperties<RedisConsumerProperties> properties = claimingQuickly();
        properties.getExtension().setAcknowledgeMode(AcknowledgeMode.MANUAL);
        Binding<MessageChannel> consumer = this.support.bindConsumer("dropped", "g",
                message -> deliveries.incrementAndGet(), properties);
        this.support.xadd("dropped", false, "payload", "forgotten");

        await().atMost(TIMEOUT).until(() -> {
            // The entry is let go when its callback is collected; ask for a collection until that has happened.
            System.gc();
            return deliveries.get() >= 2;
        });
        consumer.unbind();
    }

    /** In batch mode one callback settles the batch: the application acknowledges, or rejects, all of it. */
    @Test
    void manualAcknowledgementInBatchModeSettlesTheWholeBatch() {
        String key = this.binder.key("manual-batch");
        // In the stream before the group exists, so the reads return them as two batches of two.
        for (String payload : List.of("a1", "a2", "r1", "r2")) {
            this.support.xadd("manual-batch", false, "payload", payload);
        }
        List<Message<?>> received = new CopyOnWriteArrayList<>();
        ExtendedConsumerProperties<RedisConsumerProperties> properties = consumerProperties();
        properties.getExtension().setAcknowledgeMode(AcknowledgeMode.MANUAL);
        properties.getExtension().setCount(2);
        properties.setBatchMode(true);
        Binding<MessageChannel> consumer = this.support.bindConsumer("manual-batch", "g", received::add, properties);
        await().atMost(TIMEOUT).until(() -> received.size() == 2);
        assertThat(this.support.pendingCount(key, "g")).isEqualTo(4);

        callback(received.get(0)).acknowledge(AcknowledgmentCallback.Status.ACCEPT);
        callback(received.get(1)).acknowledge(AcknowledgmentCallback.Status.REJECT);

        assertThat(this.support.pendingCount(key, "g")).isZero();
        assertThat(this.support.entries("{" + key + "}.g.dlq")).extracting(letter -> letter.get("payload"))
                .containsExactlyInAnyOrder("r1", "r2");
        consumer.unbind();
    }

    /** A dead letter Redis refuses to write (its key holds another type) leaves the original pending, not lost. */
    @Test
    void aDeadLetterThatCannotBeWrittenLeavesTheOriginalPending() {
        String key = this.binder.key("undeliverable");
        StreamConnection redis = this.support.redis();
        redis.await(redis.async().set(("{" + key + "}.g.dlq").getBytes(UTF_8), "not a stream".getBytes(UTF_8)));
        java.util.concurrent.atomic.AtomicInteger attempts = new java.util.concurrent.atomic.AtomicInteger();
        ExtendedConsumerProperties<RedisConsumerProperties> properties = consumerProperties();
        properties.setMaxAttempts(1);
        Binding<MessageChannel> consumer = this.support.bindConsumer("undeliverable", "g", message -> {
            attempts.incrementAndGet();
            throw new IllegalStateException("refused");
        }, properties);

        this.support.xadd("undeliverable", false, "payload", "poison");

        await().atMost(TIMEOUT).until(() -> attempts.get() >= 1);
        await().during(Duration.ofMillis(1000)).atMost(Duration.ofSeconds(5))
                .until(() -> this.support.pendingCount(key, "g") == 1);
        consumer.unbind();
    }

    /** After a stop that gave up waiting, the entry still in hand stays owned: no other consumer takes it meanwhile. */
    @Test
    void anEntryStillInHandAfterAStopThatGaveUpWaitingStaysOwned() throws Exception {
        this.support.xadd("outlived", false, "payload", "slow");
        ExtendedConsumerProperties<RedisConsumerProperties> properties = claimingQuickly();
        properties.getExtension().setShutdownTimeout(Duration.ofMillis(200));
        GatedHandler handler = new GatedHandler();
        Binding<MessageChannel> binding = this.support.bindConsumer("outlived", "g", handler, properties);
        handler.awaitEntered();

        binding.stop();

        assertNothingTakenWhileHeld("outlived", binding, handler, "slow");
    }

    /**
     * A stop gives up waiting after shutdown-timeout while the handler still has its entry. The binding started
     * again reads under the same consumer name, and must neither take that entry as its own to recover (a second
     * delivery while the first runs) nor read at all until the old reader has finished.
     */
    @Test
    void aRestartWhileTheOldReaderStillHandlesItsEntryWaitsForIt() throws Exception {
        String key = this.binder.key("restarted");
        this.support.xadd("restarted", false, "payload", "slow");
        ExtendedConsumerProperties<RedisConsumerProperties> properties = consumerProperties();
        properties.getExtension().setShutdownTimeout(Duration.ofMillis(200));
        GatedHandler handler = new GatedHandler();
        Binding<MessageChannel> binding = this.support.bindConsumer("restarted", "g", handler, properties);
        handler.awaitEntered();

        binding.stop();
        binding.start();
        this.support.xadd("restarted", false, "payload", "after");

        await().during(Duration.ofMillis(1000)).atMost(Duration.ofSeconds(5)).until(handler.handled::isEmpty);
        handler.release();
        await().atMost(TIMEOUT).until(() -> handler.handled.size() >= 2 && this.support.pendingCount(key, "g") == 0);
        assertThat(handler.handled).containsExactly("slow", "after");
        binding.unbind();
    }

    @Test
    void stopLetsTheEntryInHandFinishAndAcknowledgesIt() throws Exception {
        String key = this.binder.key("inflight");
        // Both are in the stream before the group exists, so the first read returns them together.
        this.support.xadd("inflight", false, "payload", "in-hand");
        this.support.xadd("inflight", false, "payload", "not-yet");
        GatedHandler handler = new GatedHandler();
        Binding<MessageChannel> consumer = this.support.bindConsumer("inflight", "g", handler, consumerProperties());
        handler.awaitEntered();

        handler.stopWhileInHand(consumer);

        assertThat(handler.handled).containsExactly("in-hand");
        // The finished entry is acknowledged; the one never started stays pending for the next start.
        assertThat(this.support.pendingCount(key, "g")).isEqualTo(1);
    }

    @Test
    void aBatchReadAheadBeforeAStopStaysPendingAndTheNextStartHandlesEverything() throws Exception {
        String key = this.binder.key("ahead");
        for (int i = 1; i <= 5; i++) {
            this.support.xadd("ahead", false, "payload", "e" + i);
        }
        ExtendedConsumerProperties<RedisConsumerProperties> properties = consumerProperties();
        // A full first batch of two, so the reader reads the next two ahead while it handles e1.
        properties.getExtension().setCount(2);
        GatedHandler handler = new GatedHandler();
        Binding<MessageChannel> consumer = this.support.bindConsumer("ahead", "g", handler, properties);
        handler.awaitEntered();

        handler.stopWhileInHand(consumer);

        assertThat(handler.handled).containsExactly("e1");
        // e2 was never started; e3 and e4 were read ahead; e5 was never read. The three stay this consumer's,
        // released: delivered to nobody (count 0) and idle for claim-min-idle, so any consumer may claim them now.
        List<PendingMessage> released = pending(key, "g");
        assertThat(released).hasSize(3).allSatisfy(entry -> assertReleased(entry, 0));

        Binding<MessageChannel> restarted = this.support.bindConsumer("ahead", "g", handler, properties);
        await().atMost(TIMEOUT).until(() -> handler.handled.size() == 5 && this.support.pendingCount(key, "g") == 0);
        assertThat(handler.handled).containsExactly("e1", "e2", "e3", "e4", "e5");
        restarted.unbind();
    }

    @Test
    void inBatchModeAStopFinishesTheBatchInHandAndReleasesTheBatchReadAhead() throws Exception {
        String key = this.binder.key("batch-ahead");
        for (int i = 1; i <= 5; i++) {
            this.support.xadd("batch-ahead", false, "payload", "e" + i);
        }
        ExtendedConsumerProperties<RedisConsumerProperties> properties = consumerProperties();
        properties.setBatchMode(true);
        properties.getExtension().setCount(2);
        GatedHandler handler = new GatedHandler();
        Binding<MessageChannel> consumer = this.support.bindConsumer("batch-ahead", "g", handler, properties);
        handler.awaitEntered();

        handler.stopWhileInHand(consumer);

        assertThat(handler.handled).containsExactly("batch of 2");
        // e3 and e4 were read ahead and released; e5 was never read.
        assertThat(pending(key, "g")).hasSize(2).allSatisfy(entry -> assertReleased(entry, 0));
    }

    @Test
    void entriesAStopLeftUnstartedGoToAnotherConsumerAtItsNextClaimPassNotAfterClaimMinIdle() throws Exception {
        String key = this.binder.key("handover");
        for (int i = 1; i <= 5; i++) {
            this.support.xadd("handover", false, "payload", "e" + i);
        }
        ExtendedConsumerProperties<RedisConsumerProperties> leaving = consumerProperties();
        leaving.getExtension().setConsumerName("leaving");
        // A full first batch of two: e1 in hand, e2 not started, e3 and e4 read ahead.
        leaving.getExtension().setCount(2);
        GatedHandler handler = new GatedHandler();
        Binding<MessageChannel> first = this.support.bindConsumer("handover", "g", handler, leaving);
        handler.awaitEntered();
        handler.stopWhileInHand(first);

        List<String> handledByOther = new CopyOnWriteArrayList<>();
        ExtendedConsumerProperties<RedisConsumerProperties> staying = consumerProperties();
        staying.getExtension().setConsumerName("staying");
        // Claim-min-idle stays at its minute, longer than this test waits: only a release lets it claim them.
        staying.getExtension().setClaimInterval(Duration.ofMillis(100));
        // One delivery allowed: the released entries must arrive as first deliveries, not be dead-lettered.
        staying.getExtension().setMaxDeliveries(1);
        Binding<MessageChannel> other = this.support.bindConsumer("handover", "g",
                message -> handledByOther.add(new String((byte[]) message.getPayload(), UTF_8)), staying);

        await().atMost(TIMEOUT).until(() -> handledByOther.size() == 4 && this.support.pendingCount(key, "g") == 0);
        assertThat(handler.handled).containsExactly("e1");
        assertThat(handledByOther).containsExactlyInAnyOrder("e2", "e3", "e4", "e5");
        assertThat(this.support.entries("{" + key + "}.g.dlq")).isEmpty();
        other.unbind();
    }

    @Test
    void entriesClaimedFromAnotherConsumerButNotStartedBeforeAStopAreReleasedWithTheirCounts() throws Exception {
        String key = this.binder.key("claimed-then-stopped");
        List<String> ids = new ArrayList<>();
        for (int i = 1; i <= 4; i++) {
            ids.add(this.support.xadd("claimed-then-stopped", false, "payload", "c" + i));
        }
        leftByACrashLongAgo(key, "g");

        ExtendedConsumerProperties<RedisConsumerProperties> claimer = consumerProperties();
        claimer.getExtension().setConsumerName("claimer");
        claimer.getExtension().setClaimInterval(Duration.ofMillis(100));
        GatedHandler handler = new GatedHandler();
        Binding<MessageChannel> consumer = this.support.bindConsumer("claimed-then-stopped", "g", handler, claimer);
        handler.awaitEntered();
        // While c1 is handled, another consumer takes c4: the release must leave it alone.
        takeAs(key, "g", "other-0", ids.get(3));
        handler.stopWhileInHand(consumer);

        assertThat(handler.handled).containsExactly("c1");
        // c2 and c3 were claimed with c1 but never started: released with the one delivery crashed-0 had.
        assertThat(pending(key, "g")).hasSize(3).filteredOn(entry -> !entry.getId().equals(ids.get(3))).allSatisfy(entry -> {
            assertThat(entry.getConsumer()).isEqualTo("claimer-0");
            assertReleased(entry, 1);
        });
        assertThat(pending(key, "g")).filteredOn(entry -> entry.getId().equals(ids.get(3))).singleElement()
                .satisfies(entry -> {
                    assertThat(entry.getConsumer()).isEqualTo("other-0");
                    assertThat(entry.getMsSinceLastDelivery()).isLessThan(Duration.ofMinutes(1).toMillis());
                });
    }

    @Test
    void ownPendingEntriesNotReachedBeforeAStopAreReleasedWithTheirCounts() throws Exception {
        String key = this.binder.key("own-then-stopped");
        for (int i = 1; i <= 3; i++) {
            this.support.xadd("own-then-stopped", false, "payload", "p" + i);
        }
        createGroup(key, "g");
        // Left pending by this consumer name before a restart: recovered first, one at a time.
        readAs(key, "g", "returning-0", false);
        ExtendedConsumerProperties<RedisConsumerProperties> properties = consumerProperties();
        properties.getExtension().setConsumerName("returning");
        GatedHandler handler = new GatedHandler();
        Binding<MessageChannel> consumer = this.support.bindConsumer("own-then-stopped", "g", handler, properties);
        handler.awaitEntered();
        handler.stopWhileInHand(consumer);

        assertThat(handler.handled).containsExactly("p1");
        assertThat(pending(key, "g")).hasSize(2).allSatisfy(entry -> {
            assertThat(entry.getConsumer()).isEqualTo("returning-0");
            assertReleased(entry, 1);
        });
    }

    @Test
    void theRestOfAClaimedPageStaysWithTheClaimerWhileItsHandlerIsSlow() throws Exception {
        String key = this.binder.key("claimed-slowly");
        this.support.xadd("claimed-slowly", false, "payload", "c1");
        this.support.xadd("claimed-slowly", false, "payload", "c2");
        leftByACrashLongAgo(key, "g");
        ExtendedConsumerProperties<RedisConsumerProperties> claimerProperties = claimingQuickly();
        claimerProperties.getExtension().setConsumerName("claimer");
        GatedHandler slowHandler = new GatedHandler();
        Binding<MessageChannel> claimer = this.support.bindConsumer("claimed-slowly", "g", slowHandler, claimerProperties);
        slowHandler.awaitEntered();

        // c2, claimed with c1, must not look abandoned while c1 is handled.
        assertNothingTakenWhileHeld("claimed-slowly", claimer, slowHandler, "c1", "c2");
    }

    @Test
    void anEntryAnotherConsumerClaimedBeforeItsTurnInRecoveryIsLeftToIt() throws Exception {
        String key = this.binder.key("taken-meanwhile");
        this.support.xadd("taken-meanwhile", false, "payload", "c1");
        String second = this.support.xadd("taken-meanwhile", false, "payload", "c2");
        leftByACrashLongAgo(key, "g");
        ExtendedConsumerProperties<RedisConsumerProperties> properties = consumerProperties();
        properties.getExtension().setConsumerName("claimer");
        properties.getExtension().setClaimInterval(Duration.ofMillis(100));
        GatedHandler handler = new GatedHandler();
        Binding<MessageChannel> consumer = this.support.bindConsumer("taken-meanwhile", "g", handler, properties);
        handler.awaitEntered();

        // While c1 is handled, another consumer takes c2 (as it would if the claimer's refresh had failed).
        takeAs(key, "g", "other-0", second);
        handler.release();

        await().atMost(TIMEOUT).until(() -> this.support.pendingCount(key, "g") == 1);
        // Taking it back would hand c2 out twice: to the other consumer and here.
        await().during(Duration.ofMillis(1000)).atMost(Duration.ofSeconds(5)).until(() -> handler.handled.equals(List.of("c1")));
        assertThat(pending(key, "g")).singleElement().satisfies(entry -> {
            assertThat(entry.getId()).isEqualTo(second);
            assertThat(entry.getConsumer()).isEqualTo("other-0");
        });
        consumer.unbind();
    }

    @Test
    void aPausedBindingStoppedAndStartedRecoversNothingUntilResumed() {
        String key = this.binder.key("paused-restart");
        List<String> handled = new CopyOnWriteArrayList<>();
        ExtendedConsumerProperties<RedisConsumerProperties> properties = consumerProperties();
        properties.getExtension().setConsumerName("worker");
        Binding<MessageChannel> consumer = this.support.bindConsumer("paused-restart", "g",
                message -> handled.add(new String((byte[]) message.getPayload(), UTF_8)), properties);
        consumer.pause();
        consumer.stop();
        // Left pending under the reader's name, as a crash would leave it: the next start recovers it first.
        this.support.xadd("paused-restart", false, "payload", "left-pending");
        readAs(key, "g", "worker-0", false);

        consumer.start();
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5)).until(handled::isEmpty);
        assertThat(this.support.pendingCount(key, "g")).isEqualTo(1);

        consumer.resume();
        await().atMost(TIMEOUT).until(() -> handled.size() == 1 && this.support.pendingCount(key, "g") == 0);
        assertThat(handled).containsExactly("left-pending");
        consumer.unbind();
    }

    /** With retries or without: an Error is not the entry's fault, so it is neither retried nor dead-lettered. */
    @Test
    void anErrorThrownByAHandlerLeavesTheEntryPendingAndTheReaderAlive() {
        for (int maxAttempts : new int[] { 1, 3 }) {
            String destination = "errors-" + maxAttempts;
            String key = this.binder.key(destination);
            List<String> handled = new CopyOnWriteArrayList<>();
            java.util.concurrent.atomic.AtomicInteger attempts = new java.util.concurrent.atomic.AtomicInteger();
            ExtendedConsumerProperties<RedisConsumerProperties> properties = consumerProperties();
            properties.setMaxAttempts(maxAttempts);
            Binding<MessageChannel> consumer = this.support.bindConsumer(destination, "g", message -> {
                String payload = new String((byte[]) message.getPayload(), UTF_8);
                if (payload.equals("assertion")) {
                    attempts.incrementAndGet();
                    throw new AssertionError("handler bug");
                }
                handled.add(payload);
            }, properties);
            this.support.xadd(destination, false, "payload", "assertion");
            this.support.xadd(destination, false, "payload", "after");

            await().atMost(TIMEOUT).until(() -> handled.contains("after"));
            assertThat(this.support.pendingCount(key, "g")).isEqualTo(1);
            assertThat(attempts.get()).isEqualTo(1);
            assertThat(this.support.entries("{" + key + "}.g.dlq")).isEmpty();
            consumer.unbind();
        }
    }

    /** An Error outside the handler (here an observation handler's) must not send the finished entries round again. */
    /**
     * In batch mode too: a malformed record is dead-lettered (to a stream outside its slot, so by a plain XADD) and
     * left out of the batch; when something outside the handler then fails the batch, that record is acknowledged
     * anyway, not recovered and dead-lettered a second time.
     */
    @Test
    void anErrorOutsideTheHandlerOfABatchStillAcknowledgesTheRecordsItHadFinished() {
        AtomicBoolean thrown = throwOnceWhenObserving(message -> true);
        String key = this.binder.key("observed-batch");
        String deadLetters = this.binder.key("observed-batch-letters");
        this.support.xadd("observed-batch", false, "no-payload", "malformed");
        this.support.xadd("observed-batch", false, "payload", "fine");
        List<String> handled = new CopyOnWriteArrayList<>();
        ExtendedConsumerProperties<RedisConsumerProperties> properties = consumerProperties();
        properties.setBatchMode(true);
        properties.getExtension().setDeadLetterStream(deadLetters);
        Binding<MessageChannel> consumer = this.support.bindConsumer("observed-batch", "g", message -> ((List<?>) message
                .getPayload()).forEach(record -> handled.add(new String((byte[]) record, UTF_8))), properties);

        await().atMost(TIMEOUT).until(() -> handled.contains("fine") && this.support.pendingCount(key, "g") == 0);
        assertThat(thrown).isTrue();
        assertThat(this.support.entries(deadLetters)).hasSize(1);
        consumer.unbind();
    }

    @Test
    void anErrorOutsideTheHandlerMidBatchStillAcknowledgesTheEntriesFinishedBeforeIt() {
        AtomicBoolean thrown = throwOnceWhenObserving(
                message -> message.getPayload() instanceof byte[] payload && new String(payload, UTF_8).equals("boom"));
        String key = this.binder.key("observed");
        for (String payload : List.of("first", "boom", "last")) {
            this.support.xadd("observed", false, "payload", payload);
        }
        List<String> handled = new CopyOnWriteArrayList<>();
        Binding<MessageChannel> consumer = this.support.bindConsumer("observed", "g",
                message -> handled.add(new String((byte[]) message.getPayload(), UTF_8)), consumerProperties());

        await().atMost(TIMEOUT).until(() -> handled.contains("last") && this.support.pendingCount(key, "g") == 0);
        assertThat(thrown).isTrue();
        assertThat(handled).containsExactly("first", "boom", "last");
        consumer.unbind();
    }

    @Test
    void aBindingWithSeveralDestinationsDeadLettersEachToItsOwnStream() {
        List<Binding<MessageChannel>> bindings = new java.util.ArrayList<>();
        for (String destination : List.of("alpha", "beta")) {
            ExtendedConsumerProperties<RedisConsumerProperties> properties = consumerProperties();
            properties.setMaxAttempts(1);
            properties.populateBindingName("multi-in-0");
            bindings.add(this.support.bindConsumer(destination, "g", message -> {
                throw new IllegalStateException("refused");
            }, properties));
        }
        this.support.xadd("beta", false, "payload", "from-beta");

        await().atMost(TIMEOUT).until(() -> this.support.entries("{" + this.binder.key("beta") + "}.g.dlq").size() == 1);
        assertThat(this.support.entries("{" + this.binder.key("alpha") + "}.g.dlq")).isEmpty();
        bindings.forEach(Binding::unbind);
    }

    /**
     * The destinations of one binding share its error channel, and the first one's error handler serves them all
     * (the test above): the others neither subscribe a second one nor warn that they could not (Spring Cloud
     * Stream's "errorChannel ... is an instance of DirectChannel ... may affect DLQ processing").
     */
    @Test
    @ExtendWith(OutputCaptureExtension.class)
    void theDestinationsOfOneBindingShareOneErrorHandlerWithoutAWarning(CapturedOutput output) {
        List<Binding<MessageChannel>> bindings = new java.util.ArrayList<>();
        for (String group : java.util.Arrays.asList("g", null)) {
            String binding = group == null ? "anonymous-in-0" : "shared-in-0";
            int subscribersOfOne = 0;
            for (String destination : List.of("first", "second", "third")) {
                ExtendedConsumerProperties<RedisConsumerProperties> properties = consumerProperties();
                properties.setMaxAttempts(1);
                properties.populateBindingName(binding);
                bindings.add(this.support.bindConsumer(destination, group, message -> {
                    throw new IllegalStateException("refused");
                }, properties));
                if (destination.equals("first")) {
                    subscribersOfOne = subscribers(binding);
                }
            }
            assertThat(subscribers(binding)).as(binding).isEqualTo(subscribersOfOne).isPositive();
        }
        this.support.xadd("third", false, "payload", "from-third");

        await().atMost(TIMEOUT).until(() -> this.support.entries("{" + this.binder.key("third") + "}.g.dlq").size() == 1);
        assertThat(output.getOut()).doesNotContain("is an instance of DirectChannel");
        bindings.forEach(Binding::unbind);
    }

    private int subscribers(String binding) {
        return ((org.springframework.integration.channel.AbstractSubscribableChannel) this.binder.errorChannel(binding))
                .getSubscriberCount();
    }

    @Test
    void aDeadLetterInItsStreamsSlotIsAcknowledgedAndWrittenInOneStepOnceAndOneElsewhereIsOnlyWritten() {
        String key = this.binder.key("atomic");
        String sameSlot = this.support.xadd("atomic", false, "payload", "one");
        String elsewhere = this.support.xadd("atomic", false, "payload", "two");
        createGroup(key, "g");
        readAs(key, "g", "c", false);
        DeadLetterWriter writer = new DeadLetterWriter(this.binder.connector(),
                new StreamEntryCodec(JsonMapper.builder().build()), this.binder.metrics());

        writer.write(DeadLetterFields.defaultStream(key, "g"), new DeadLetter(payloadField("one"), key,
                sameSlot, "g", 1, new IllegalStateException("boom")));
        writer.write(key + "-elsewhere.dlq", new DeadLetter(payloadField("two"), key, elsewhere, "g", 1,
                new IllegalStateException("boom")));

        assertThat(this.support.entries("{" + key + "}.g.dlq")).singleElement()
                .satisfies(letter -> assertThat(letter).containsEntry("payload", "one").containsEntry("dlq_originalId", sameSlot));
        assertThat(this.support.entries(key + "-elsewhere.dlq")).singleElement()
                .satisfies(letter -> assertThat(letter).containsEntry("dlq_originalId", elsewhere));
        assertThat(writer.write(DeadLetterFields.defaultStream(key, "g"), new DeadLetter(payloadField("one"),
                key, sameSlot, "g", 1, new IllegalStateException("again"))))
                .as("an entry already acknowledged is not dead-lettered twice").isNull();
        assertThat(this.support.entries("{" + key + "}.g.dlq")).hasSize(1);
        StreamConnection redis = this.support.redis();
        assertThat(redis.await(redis.async().xpending(key.getBytes(UTF_8), "g".getBytes(UTF_8),
                io.lettuce.core.Range.create("-", "+"), io.lettuce.core.Limit.from(10))))
                .as("only the entry dead-lettered into another slot is left for the reader to acknowledge")
                .singleElement().satisfies(pending -> assertThat(pending.getId()).isEqualTo(elsewhere));
    }

    private static AcknowledgmentCallback callback(Message<?> message) {
        return StaticMessageHeaderAccessor.getAcknowledgmentCallback(message);
    }

    /**
     * With {@code holder}'s handler stuck on its first entry, a second consumer that claims quickly must take
     * none of the holder's entries for five times claim-min-idle (without the ownership refresh it would); once
     * let go, the holder handles {@code expected} in order and the other consumer nothing.
     */
    private void assertNothingTakenWhileHeld(String destination, Binding<MessageChannel> holder, GatedHandler handler,
            String... expected) {
        List<String> handledByOther = new CopyOnWriteArrayList<>();
        ExtendedConsumerProperties<RedisConsumerProperties> otherProperties = claimingQuickly();
        otherProperties.getExtension().setConsumerName("other");
        Binding<MessageChannel> other = this.support.bindConsumer(destination, "g",
                message -> handledByOther.add(new String((byte[]) message.getPayload(), UTF_8)), otherProperties);

        await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(5)).until(handledByOther::isEmpty);
        handler.release();
        String key = this.binder.key(destination);
        await().atMost(TIMEOUT).until(() -> handler.handled.size() == expected.length
                && this.support.pendingCount(key, "g") == 0);
        assertThat(handler.handled).containsExactly(expected);
        assertThat(handledByOther).isEmpty();
        holder.unbind();
        other.unbind();
    }

    /**
     * Gives the binder observations whose handler throws an {@code Error}, outside the message handler, on the first
     * delivery that {@code when} accepts; the returned flag says whether it has thrown.
     */
    private AtomicBoolean throwOnceWhenObserving(java.util.function.Predicate<Message<?>> when) {
        AtomicBoolean thrown = new AtomicBoolean();
        ObservationRegistry observations = ObservationRegistry.create();
        observations.observationConfig().observationHandler(new ObservationHandler<>() {
            @Override
            public void onStart(Observation.Context context) {
                if (when.test(((MessageReceiverContext) context).getCarrier()) && thrown.compareAndSet(false, true)) {
                    throw new AssertionError("observation handler bug");
                }
            }

            @Override
            public boolean supportsContext(Observation.Context context) {
                return context instanceof MessageReceiverContext;
            }
        });
        this.binder.getBinder().setObservations(observations);
        return thrown;
    }

    private static ExtendedConsumerProperties<RedisConsumerProperties> claimingQuickly() {
        ExtendedConsumerProperties<RedisConsumerProperties> properties = consumerProperties();
        properties.getExtension().setClaimMinIdle(Duration.ofMillis(300));
        properties.getExtension().setClaimInterval(Duration.ofMillis(100));
        properties.getExtension().setDeadConsumerIdle(Duration.ofMillis(300));
        return properties;
    }

    private void createGroup(String key, String group) {
        StreamConnection redis = this.support.redis();
        redis.await(redis.async().xgroupCreate(XReadArgs.StreamOffset.from(key.getBytes(UTF_8), "0"), group.getBytes(UTF_8)));
    }

    /** Reads as another consumer: new entries ({@code >}), or its own pending entries again (id 0). */
    private void readAs(String key, String group, String consumer, boolean ownPending) {
        StreamConnection redis = this.support.redis();
        XReadArgs.StreamOffset<byte[]> offset = ownPending ? XReadArgs.StreamOffset.from(key.getBytes(UTF_8), "0")
                : XReadArgs.StreamOffset.lastConsumed(key.getBytes(UTF_8));
        redis.await(redis.async().xreadgroup(Consumer.from(group.getBytes(UTF_8), consumer.getBytes(UTF_8)),
                XReadArgs.Builder.count(10), offset));
    }

    /** Everything in the stream, read by {@code crashed-0} and idle for five minutes: ready to be claimed. */
    private void leftByACrashLongAgo(String key, String group) {
        createGroup(key, group);
        readAs(key, group, "crashed-0", false);
        StreamConnection redis = this.support.redis();
        String[] ids = pending(key, group).stream().map(PendingMessage::getId).toArray(String[]::new);
        redis.await(redis.async().xclaim(key.getBytes(UTF_8), Consumer.from(group.getBytes(UTF_8), "crashed-0".getBytes(UTF_8)),
                XClaimArgs.Builder.justid().idle(Duration.ofMinutes(5)), ids));
    }

    /**
     * Released by a stop: {@code deliveries} counted (none for the taking that never reached the handler), and
     * idle for claim-min-idle (the default minute) at once, so any consumer's next claim pass may take it.
     */
    private static void assertReleased(PendingMessage entry, long deliveries) {
        assertThat(entry.getRedeliveryCount()).isEqualTo(deliveries);
        assertThat(entry.getMsSinceLastDelivery()).isGreaterThanOrEqualTo(Duration.ofMinutes(1).toMillis());
    }

    /** Another consumer claims the entry, as its claim pass would. */
    private void takeAs(String key, String group, String consumer, String id) {
        StreamConnection redis = this.support.redis();
        redis.await(redis.async().xclaim(key.getBytes(UTF_8), Consumer.from(group.getBytes(UTF_8), consumer.getBytes(UTF_8)),
                XClaimArgs.Builder.justid(), id));
    }

    private List<PendingMessage> pending(String key, String group) {
        StreamConnection redis = this.support.redis();
        return redis.await(redis.async().xpending(key.getBytes(UTF_8), group.getBytes(UTF_8), Range.create("-", "+"),
                Limit.from(100)));
    }

    private List<String> consumerNames(String key, String group) {
        StreamConnection redis = this.support.redis();
        return redis.await(redis.async().xinfoConsumers(key.getBytes(UTF_8), group.getBytes(UTF_8))).stream()
                .map(info -> new String((byte[]) ((List<?>) info).get(1), UTF_8)).toList();
    }

    private static List<byte[]> payloadField(String payload) {
        return List.of("payload".getBytes(UTF_8), payload.getBytes(UTF_8));
    }
}
