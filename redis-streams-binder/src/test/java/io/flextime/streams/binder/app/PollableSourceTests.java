package io.flextime.streams.binder.app;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.cloud.stream.binder.PollableMessageSource;
import org.springframework.cloud.stream.function.StreamBridge;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.ParameterizedTypeReference;

import io.flextime.streams.testing.RedisServerExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class PollableSourceTests {

    @RegisterExtension
    static final RedisServerExtension redis = new RedisServerExtension();

    private TestApps apps;

    @BeforeEach
    void start() {
        this.apps = new TestApps(redis.server(), "polling-" + UUID.randomUUID() + ":");
    }

    @AfterEach
    void stop() {
        this.apps.close();
    }

    @Test
    void pollReadsOneEntryAtATimeAcceptsHandledOnesAndDeadLettersFailures() {
        ConfigurableApplicationContext app = this.apps.start(PollingApp.class, "polling");
        StreamBridge bridge = app.getBean(StreamBridge.class);
        bridge.send("orders-out", new Order("a", "kansas", 1, 100));
        bridge.send("orders-out", new Order("poison", "kansas", 2, 100));
        bridge.send("orders-out", new Order("b", "kansas", 3, 100));
        PollableMessageSource source = app.getBean("orders-in-0", PollableMessageSource.class);
        List<String> handled = new CopyOnWriteArrayList<>();

        await().atMost(Duration.ofSeconds(20)).until(() -> {
            source.poll(message -> {
                Order order = (Order) message.getPayload();
                if (order.id().equals("poison")) {
                    throw new IllegalStateException("cannot handle " + order.id());
                }
                handled.add(order.id());
            }, new ParameterizedTypeReference<Order>() { });
            return handled.size() == 2;
        });

        assertThat(handled).containsExactly("a", "b");
        assertThat(source.poll(message -> handled.add("unexpected"))).isFalse();
        try (RedisClient client = RedisClient.create(redis.server().uri().toString());
                StatefulRedisConnection<String, String> connection = client.connect()) {
            String key = this.apps.prefix() + "orders";
            assertThat(connection.sync().xpending(key, "pollers").getCount()).isZero();
            assertThat(connection.sync().xlen("{" + key + "}.pollers.dlq")).isEqualTo(1);
        }
    }
}
