package io.flextime.streams.binder.app;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.cloud.stream.function.StreamBridge;
import org.springframework.context.ConfigurableApplicationContext;

import io.flextime.streams.testing.RedisServerExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Boot applications whose function beans are bound to Redis only through YAML ({@code chain.yml},
 * {@code sink.yml}): conversion, ordering, groups, anonymous consumers and partitions.
 */
class RedisBinderApplicationTests {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @RegisterExtension
    static final RedisServerExtension redis = new RedisServerExtension();

    private TestApps apps;

    @BeforeEach
    void createApps() {
        this.apps = new TestApps(redis.server(), "app-" + UUID.randomUUID() + ":");
    }

    @AfterEach
    void closeApps() {
        this.apps.close();
    }

    @Test
    @SuppressWarnings("unchecked")
    void supplierFunctionConsumerChainConvertsJsonBothWays() {
        ConfigurableApplicationContext chain = this.apps.start(ChainApp.class, "chain");
        Queue<Order> orderBook = chain.getBean("orderBook", Queue.class);
        orderBook.add(new Order("o-1", "kansas", 1, 10_000));
        orderBook.add(new Order("o-2", "baylor", 2, 2_500));

        Received<Invoice> invoices = chain.getBean("invoices", Received.class);
        await().atMost(TIMEOUT).until(() -> invoices.size() == 2);
        assertThat(invoices.items()).containsExactly(new Invoice("o-1", "kansas", 1, 11_900),
                new Invoice("o-2", "baylor", 2, 2_975));
    }

    @Test
    void oneConsumerSeesOrderKept() {
        ConfigurableApplicationContext sink = this.apps.start(SinkApp.class, "sink", "--sink.group=ordered");
        publish(sink, 500);

        Received<Order> orders = received(sink);
        await().atMost(TIMEOUT).until(() -> orders.size() == 500);
        assertThat(orders.items()).extracting(Order::sequence).containsExactlyElementsOf(IntStream.range(0, 500).boxed().toList());
    }

    @Test
    void twoConsumersInOneGroupShareTheLoadAndHandleEachMessageOnce() {
        // COUNT 1 makes each read take a single entry, so both readers get turns even on a fast machine.
        String[] shared = { "--sink.group=workers", "--spring.cloud.stream.redis.default.consumer.count=1" };
        ConfigurableApplicationContext first = this.apps.start(SinkApp.class, "sink", with(shared, "--spring.cloud.stream.redis.default.consumer.consumer-name=first"));
        ConfigurableApplicationContext second = this.apps.start(SinkApp.class, "sink", with(shared, "--spring.cloud.stream.redis.default.consumer.consumer-name=second"));
        publish(first, 400);

        await().atMost(TIMEOUT).until(() -> received(first).size() + received(second).size() == 400);
        List<Integer> all = new java.util.ArrayList<>();
        all.addAll(received(first).items().stream().map(Order::sequence).toList());
        all.addAll(received(second).items().stream().map(Order::sequence).toList());
        assertThat(new HashSet<>(all)).hasSize(400);
        assertThat(received(first).size()).isPositive();
        assertThat(received(second).size()).isPositive();
    }

    @Test
    void twoGroupsEachGetEveryMessage() {
        ConfigurableApplicationContext audit = this.apps.start(SinkApp.class, "sink", "--sink.group=audit");
        ConfigurableApplicationContext billing = this.apps.start(SinkApp.class, "sink", "--sink.group=billing");
        publish(audit, 100);

        await().atMost(TIMEOUT).until(() -> received(audit).size() == 100 && received(billing).size() == 100);
        assertThat(received(audit).items()).isEqualTo(received(billing).items());
    }

    @Test
    void anonymousConsumerSeesOnlyWhatIsPublishedAfterItStarted() {
        ConfigurableApplicationContext durable = this.apps.start(SinkApp.class, "sink", "--sink.group=durable");
        publish(durable, 0, 10);
        await().atMost(TIMEOUT).until(() -> received(durable).size() == 10);

        ConfigurableApplicationContext anonymous = this.apps.start(SinkApp.class, "sink");
        publish(durable, 10, 20);

        await().atMost(TIMEOUT).until(() -> received(durable).size() == 20 && received(anonymous).size() == 10);
        assertThat(received(anonymous).items()).extracting(Order::sequence)
                .containsExactlyElementsOf(IntStream.range(10, 20).boxed().toList());
    }

    @Test
    void partitionKeyExpressionRoutesEachCustomerToOneInstance() {
        String[] partitioned = { "--spring.profiles.active=partitioned", "--sink.group=regional" };
        ConfigurableApplicationContext instance0 = this.apps.start(SinkApp.class, "sink", with(partitioned, "--spring.cloud.stream.instance-index=0"));
        ConfigurableApplicationContext instance1 = this.apps.start(SinkApp.class, "sink", with(partitioned, "--spring.cloud.stream.instance-index=1"));
        StreamBridge bridge = instance0.getBean(StreamBridge.class);
        List<String> customers = List.of("kansas", "baylor", "texas-tech", "iowa-state", "tcu", "ucf");
        for (int i = 0; i < 120; i++) {
            bridge.send("orders-out", new Order("o-" + i, customers.get(i % customers.size()), i, 100));
        }

        await().atMost(TIMEOUT).until(() -> received(instance0).size() + received(instance1).size() == 120);
        Set<String> customers0 = customersOf(received(instance0));
        Set<String> customers1 = customersOf(received(instance1));
        assertThat(customers0).doesNotContainAnyElementsOf(customers1);
        assertThat(customers0).isNotEmpty();
        assertThat(customers1).isNotEmpty();
        Map<String, Long> perCustomer = received(instance0).items().stream()
                .collect(Collectors.groupingBy(Order::customer, Collectors.counting()));
        perCustomer.values().forEach(count -> assertThat(count).isEqualTo(20));
    }

    private static Set<String> customersOf(Received<Order> received) {
        return received.items().stream().map(Order::customer).collect(Collectors.toSet());
    }

    private static void publish(ConfigurableApplicationContext app, int count) {
        publish(app, 0, count);
    }

    private static void publish(ConfigurableApplicationContext app, int from, int to) {
        StreamBridge bridge = app.getBean(StreamBridge.class);
        for (int i = from; i < to; i++) {
            bridge.send("orders-out", new Order("o-" + i, "kansas", i, 100));
        }
    }

    @SuppressWarnings("unchecked")
    static Received<Order> received(ConfigurableApplicationContext app) {
        return app.getBean("orders", Received.class);
    }

    private static String[] with(String[] base, String extra) {
        String[] all = java.util.Arrays.copyOf(base, base.length + 1);
        all[base.length] = extra;
        return all;
    }
}
