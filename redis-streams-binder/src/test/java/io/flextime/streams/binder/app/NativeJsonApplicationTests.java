package io.flextime.streams.binder.app;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;

import io.lettuce.core.Range;
import io.lettuce.core.RedisClient;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.cloud.stream.binder.PollableMessageSource;
import org.springframework.cloud.stream.function.StreamBridge;
import org.springframework.context.ConfigurableApplicationContext;

import io.flextime.streams.binder.deadletter.DeadLetterFields;
import io.flextime.streams.testing.RedisServerExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Bindings that set {@code use-native-encoding} / {@code use-native-decoding}: the binder writes and reads the
 * JSON itself ({@code payload-type}), and the entries are the ones the framework's conversion writes and reads,
 * so either side of a stream can switch on its own.
 */
class NativeJsonApplicationTests {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private static final String NATIVE_ENCODING = "--spring.cloud.stream.bindings.orders-out.producer.use-native-encoding=true";

    @RegisterExtension
    static final RedisServerExtension redis = new RedisServerExtension();

    private TestApps apps;

    @BeforeEach
    void createApps() {
        this.apps = new TestApps(redis.server(), "native-" + UUID.randomUUID() + ":");
    }

    @AfterEach
    void closeApps() {
        this.apps.close();
    }

    @Test
    void nativeAndConvertingSidesWriteTheSameEntriesAndReadEachOther() {
        ConfigurableApplicationContext converting = this.apps.start(SinkApp.class, "sink", "--sink.group=converting");
        ConfigurableApplicationContext nativeSide = this.apps.start(SinkApp.class, "sink",
                nativeDecoding("orderSink-in-0", "--sink.group=native", NATIVE_ENCODING));
        Order order = new Order("o-1", "kansas", 1, 100);

        converting.getBean(StreamBridge.class).send("orders-out", order);
        nativeSide.getBean(StreamBridge.class).send("orders-out", order);

        await().atMost(TIMEOUT).until(() -> RedisBinderApplicationTests.received(converting).size() == 2
                && RedisBinderApplicationTests.received(nativeSide).size() == 2);
        assertThat(RedisBinderApplicationTests.received(converting).items()).containsExactly(order, order);
        assertThat(RedisBinderApplicationTests.received(nativeSide).items()).containsExactly(order, order);
        try (RedisClient client = RedisClient.create(redis.server().uri().toString());
                StatefulRedisConnection<String, String> connection = client.connect()) {
            List<StreamMessage<String, String>> entries = connection.sync().xrange(this.apps.prefix() + "orders",
                    Range.create("-", "+"));
            assertThat(entries).hasSize(2);
            assertThat(entries.get(1).getBody().get("payload")).isEqualTo(entries.get(0).getBody().get("payload"));
            assertThat(entries.get(1).getBody()).containsEntry("contentType", "application/json");
        }
    }

    /** A payload that is not a JSON payload-type is dead-lettered as it was written; retrying cannot help it. */
    @Test
    void anEntryThatIsNotJsonOfThePayloadTypeIsDeadLetteredAsItIsAndTheRestIsHandled() {
        ConfigurableApplicationContext app = this.apps.start(SinkApp.class, "sink", nativeDecoding("orderSink-in-0",
                "--sink.group=native"));
        String key = this.apps.prefix() + "orders";
        try (RedisClient client = RedisClient.create(redis.server().uri().toString());
                StatefulRedisConnection<String, String> connection = client.connect()) {
            String bad = connection.sync().xadd(key, Map.of("payload", "{\"id\": unquoted}", "contentType", "application/json"));
            app.getBean(StreamBridge.class).send("orders-out", new Order("o-2", "baylor", 2, 100));

            await().atMost(TIMEOUT).until(() -> connection.sync().xlen("{" + key + "}.native.dlq") == 1
                    && RedisBinderApplicationTests.received(app).size() == 1);
            assertThat(RedisBinderApplicationTests.received(app).items()).extracting(Order::id).containsExactly("o-2");
            Map<String, String> deadLetter = connection.sync().xrange("{" + key + "}.native.dlq", Range.create("-", "+"))
                    .get(0).getBody();
            assertThat(deadLetter).containsEntry("payload", "{\"id\": unquoted}")
                    .containsEntry(DeadLetterFields.ORIGINAL_ID, bad);
            // The root cause is Jackson's, as when the framework's conversion fails; the binder's words are above it.
            assertThat(deadLetter.get(DeadLetterFields.EXCEPTION_MESSAGE)).contains("Unrecognized token 'unquoted'");
            assertThat(deadLetter.get(DeadLetterFields.STACK_TRACE))
                    .contains("the payload is not a JSON " + Order.class.getName() + " (payload-type)");
            await().atMost(TIMEOUT).until(() -> connection.sync().xpending(key, "native").getCount() == 0);
        }
    }

    /**
     * A function's output binding with native encoding gets no partition from the framework (its partitioning
     * belongs to the output conversion native encoding skips); the binder picks it from the producer's settings.
     */
    @Test
    @SuppressWarnings("unchecked")
    void aNativelyEncodingPartitionedFunctionOutputSendsEachMessageToItsPartition() {
        ConfigurableApplicationContext chain = this.apps.start(ChainApp.class, "chain",
                "--spring.cloud.stream.bindings.orderSource-out-0.producer.use-native-encoding=true",
                "--spring.cloud.stream.bindings.invoice-in-0.consumer.use-native-decoding=true",
                "--spring.cloud.stream.redis.bindings.invoice-in-0.consumer.payload-type=" + Order.class.getName(),
                "--spring.cloud.stream.bindings.invoice-out-0.producer.use-native-encoding=true",
                "--spring.cloud.stream.bindings.invoice-out-0.producer.partition-key-expression=payload.customer",
                "--spring.cloud.stream.bindings.invoice-out-0.producer.partition-count=2",
                "--spring.cloud.stream.bindings.invoiceSink-in-0.consumer.partitioned=true",
                "--spring.cloud.stream.bindings.invoiceSink-in-0.consumer.instance-index-list=0,1",
                "--spring.cloud.stream.bindings.invoiceSink-in-0.consumer.use-native-decoding=true",
                "--spring.cloud.stream.redis.bindings.invoiceSink-in-0.consumer.payload-type=" + Invoice.class.getName());
        java.util.Queue<Order> orderBook = chain.getBean("orderBook", java.util.Queue.class);
        List<String> customers = List.of("kansas", "baylor", "kansas", "baylor", "tcu", "tcu");
        for (int i = 0; i < customers.size(); i++) {
            orderBook.add(new Order("o-" + i, customers.get(i), i, 100));
        }

        Received<Invoice> invoices = chain.getBean("invoices", Received.class);
        await().atMost(TIMEOUT).until(() -> invoices.size() == customers.size());
        try (RedisClient client = RedisClient.create(redis.server().uri().toString());
                StatefulRedisConnection<String, String> connection = client.connect()) {
            Map<String, java.util.Set<Integer>> partitionsOfCustomer = new java.util.HashMap<>();
            for (int partition = 0; partition < 2; partition++) {
                for (StreamMessage<String, String> entry : connection.sync().xrange(this.apps.prefix() + "invoices-" + partition,
                        Range.create("-", "+"))) {
                    String customer = entry.getBody().get("payload").replaceAll(".*\"customer\":\"([^\"]+)\".*", "$1");
                    partitionsOfCustomer.computeIfAbsent(customer, name -> new java.util.HashSet<>()).add(partition);
                }
            }
            assertThat(partitionsOfCustomer).containsOnlyKeys("kansas", "baylor", "tcu");
            partitionsOfCustomer.values().forEach(partitions -> assertThat(partitions).hasSize(1));
            // kansas and baylor hash to one partition of two, tcu to the other: both are used, not one for all.
            assertThat(partitionsOfCustomer.values().stream().flatMap(java.util.Set::stream).distinct()).hasSize(2);
        }
    }

    /** The application's partition selector bean, found by type as the framework finds it, picks the partition. */
    @Test
    @SuppressWarnings("unchecked")
    void aNativelyEncodingPartitionedFunctionOutputUsesTheApplicationsPartitionSelector() {
        ConfigurableApplicationContext chain = this.apps.start(SelectingChainApp.class, "chain",
                "--spring.cloud.stream.bindings.invoice-out-0.producer.use-native-encoding=true",
                "--spring.cloud.stream.bindings.invoice-out-0.producer.partition-key-expression=payload.customer",
                "--spring.cloud.stream.bindings.invoice-out-0.producer.partition-count=3",
                "--spring.cloud.stream.bindings.invoiceSink-in-0.consumer.partitioned=true",
                "--spring.cloud.stream.bindings.invoiceSink-in-0.consumer.instance-index-list=0,1,2");
        java.util.Queue<Order> orderBook = chain.getBean("orderBook", java.util.Queue.class);
        for (int i = 0; i < 4; i++) {
            orderBook.add(new Order("o-" + i, "customer-" + i, i, 100));
        }

        Received<Invoice> invoices = chain.getBean("invoices", Received.class);
        await().atMost(TIMEOUT).until(() -> invoices.size() == 4);
        try (RedisClient client = RedisClient.create(redis.server().uri().toString());
                StatefulRedisConnection<String, String> connection = client.connect()) {
            assertThat(connection.sync().xlen(this.apps.prefix() + "invoices-2")).isEqualTo(4);
        }
    }

    /** A payload-type the function cannot take is said when binding, not only by a dead letter per message. */
    @Test
    @org.junit.jupiter.api.extension.ExtendWith(org.springframework.boot.test.system.OutputCaptureExtension.class)
    void aPayloadTypeTheFunctionCannotTakeIsWarnedOfWhenBinding(org.springframework.boot.test.system.CapturedOutput output) {
        this.apps.start(SinkApp.class, "sink", "--sink.group=mismatched",
                "--spring.cloud.stream.bindings.orderSink-in-0.consumer.use-native-decoding=true",
                "--spring.cloud.stream.redis.bindings.orderSink-in-0.consumer.payload-type=" + Invoice.class.getName());
        this.apps.start(BatchSinkApp.class, "batch", nativeDecoding("batchSink-in-0"));

        assertThat(output.getOut()).containsOnlyOnce("(payload-type), but its function")
                .contains("Binding 'orderSink-in-0' reads payloads into " + Invoice.class.getName()
                        + " (payload-type), but its function 'orderSink' takes " + Order.class.getName());
    }

    @Test
    void batchModeReadsEveryRecordIntoThePayloadType() {
        ConfigurableApplicationContext app = this.apps.start(BatchSinkApp.class, "batch",
                nativeDecoding("batchSink-in-0", "--spring.cloud.stream.bindings.orders-out.destination=orders",
                        NATIVE_ENCODING));
        List<Order> sent = IntStream.range(0, 50).mapToObj(i -> new Order("o-" + i, "tcu", i, i)).toList();
        StreamBridge bridge = app.getBean(StreamBridge.class);
        sent.forEach(order -> bridge.send("orders-out", order));

        @SuppressWarnings("unchecked")
        Received<List<Order>> batches = app.getBean("batches", Received.class);
        await().atMost(TIMEOUT).until(() -> batches.items().stream().mapToInt(List::size).sum() == sent.size());
        assertThat(batches.items().stream().flatMap(List::stream).toList()).isEqualTo(sent);
    }

    @Test
    void aPollableSourceHandsOutThePayloadType() {
        ConfigurableApplicationContext app = this.apps.start(PollingApp.class, "polling", nativeDecoding("orders-in-0"));
        Order order = new Order("o-3", "ucf", 3, 300);
        app.getBean(StreamBridge.class).send("orders-out", order);
        PollableMessageSource source = app.getBean("orders-in-0", PollableMessageSource.class);
        List<Object> polled = new CopyOnWriteArrayList<>();

        await().atMost(TIMEOUT).until(() -> source.poll(message -> polled.add(message.getPayload())));

        assertThat(polled).containsExactly(order);
    }

    private static String[] nativeDecoding(String binding, String... more) {
        List<String> args = new java.util.ArrayList<>(List.of(
                "--spring.cloud.stream.bindings." + binding + ".consumer.use-native-decoding=true",
                "--spring.cloud.stream.redis.bindings." + binding + ".consumer.payload-type=" + Order.class.getName()));
        args.addAll(List.of(more));
        return args.toArray(new String[0]);
    }
}
