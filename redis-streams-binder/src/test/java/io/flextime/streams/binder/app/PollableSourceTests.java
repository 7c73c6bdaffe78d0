package io.flextime.streams.binder.app;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.models.stream.PendingMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.cloud.stream.binder.PollableMessageSource;
import org.springframework.cloud.stream.binding.BindingsLifecycleController;
import org.springframework.cloud.stream.function.StreamBridge;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.messaging.converter.MessageConversionException;

import io.flextime.streams.testing.RedisServerExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
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

    /**
     * While a polled entry's handler runs, its ownership is refreshed: another instance's claim pass does not take
     * it, and this instance's own re-read of its pending entries (on another polling thread) passes over it
     * without counting a delivery.
     */
    @Test
    void aPolledEntryInHandIsNeitherClaimedByAnotherInstanceNorHandedOutAgain() throws Exception {
        ConfigurableApplicationContext first = this.apps.start(PollingApp.class, "polling", claimingQuickly("first"));
        ConfigurableApplicationContext second = this.apps.start(PollingApp.class, "polling", claimingQuickly("second"));
        first.getBean(StreamBridge.class).send("orders-out", new Order("slow", "kansas", 1, 100));
        PollableMessageSource holder = first.getBean("orders-in-0", PollableMessageSource.class);
        PollableMessageSource other = second.getBean("orders-in-0", PollableMessageSource.class);
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<String> handled = new CopyOnWriteArrayList<>();
        ExecutorService polling = Executors.newSingleThreadExecutor();
        try {
            Future<?> held = polling.submit(() -> await().atMost(Duration.ofSeconds(20)).until(() -> holder.poll(message -> {
                entered.countDown();
                await().atMost(Duration.ofSeconds(20)).until(() -> release.await(10, TimeUnit.MILLISECONDS));
                handled.add(((Order) message.getPayload()).id());
            }, new ParameterizedTypeReference<Order>() { })));
            assertThat(entered.await(20, TimeUnit.SECONDS)).isTrue();

            List<String> handedOutAgain = new CopyOnWriteArrayList<>();
            // Five times claim-min-idle, with a claim pass every claim-interval on both instances.
            await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(5)).until(() -> {
                other.poll(message -> handedOutAgain.add("second: " + message.getPayload()));
                holder.poll(message -> handedOutAgain.add("first: " + message.getPayload()));
                return handedOutAgain.isEmpty();
            });
            // A stop and start of the binding (e.g. through the bindings endpoint) while the handler runs changes
            // nothing: the entry is still in hand.
            BindingsLifecycleController bindings = first.getBean(BindingsLifecycleController.class);
            // The pollable source's binding is named after the source ("orders"), not the bean.
            bindings.stop("orders");
            assertThat(bindings.queryState("orders")).singleElement().matches(binding -> !binding.isRunning());
            bindings.start("orders");
            await().during(Duration.ofMillis(600)).atMost(Duration.ofSeconds(5)).until(() -> {
                holder.poll(message -> handedOutAgain.add("first, restarted: " + message.getPayload()));
                return handedOutAgain.isEmpty();
            });
            try (RedisClient client = RedisClient.create(redis.server().uri().toString());
                    StatefulRedisConnection<String, String> connection = client.connect()) {
                String key = this.apps.prefix() + "orders";
                List<PendingMessage> pending = connection.sync().xpending(key, "pollers", Range.create("-", "+"),
                        Limit.from(10));
                assertThat(pending).hasSize(1);
                assertThat(pending.get(0).getConsumer()).startsWith("first");
                assertThat(pending.get(0).getRedeliveryCount()).isEqualTo(1);

                release.countDown();
                held.get(20, TimeUnit.SECONDS);
                assertThat(handled).containsExactly("slow");
                assertThat(connection.sync().xpending(key, "pollers").getCount()).isZero();
            }
        }
        finally {
            release.countDown();
            polling.shutdownNow();
        }
    }

    /** Without a dead-letter stream a malformed entry stays pending, and each recovery pass reads it again. */
    @Test
    void aMalformedEntryLeftPendingIsReadAgainAtTheNextRecovery() {
        String[] claiming = claimingQuickly("only");
        ConfigurableApplicationContext app = this.apps.start(PollingApp.class, "polling", claiming[0], claiming[1],
                claiming[2], "--spring.cloud.stream.redis.bindings.orders-in-0.consumer.dead-letter-enabled=false");
        PollableMessageSource source = app.getBean("orders-in-0", PollableMessageSource.class);
        try (RedisClient client = RedisClient.create(redis.server().uri().toString());
                StatefulRedisConnection<String, String> connection = client.connect()) {
            String key = this.apps.prefix() + "orders";
            connection.sync().xadd(key, Map.of("no-payload", "x"));

            await().atMost(Duration.ofSeconds(20)).until(() -> {
                assertThat(source.poll(message -> { })).isFalse();
                List<PendingMessage> pending = connection.sync().xpending(key, "pollers", Range.create("-", "+"),
                        Limit.from(10));
                return pending.size() == 1 && pending.get(0).getRedeliveryCount() >= 3;
            });
        }
    }

    /** A group that vanished (Redis restarted without its data, XGROUP DESTROY) is recreated, as readers do. */
    @Test
    void aVanishedGroupIsRecreatedAndPollingGoesOn() {
        ConfigurableApplicationContext app = this.apps.start(PollingApp.class, "polling");
        PollableMessageSource source = app.getBean("orders-in-0", PollableMessageSource.class);
        StreamBridge bridge = app.getBean(StreamBridge.class);
        bridge.send("orders-out", new Order("before", "kansas", 1, 100));
        List<String> handled = new CopyOnWriteArrayList<>();
        await().atMost(Duration.ofSeconds(20)).until(() -> source.poll(message -> handled.add(((Order) message.getPayload()).id()),
                new ParameterizedTypeReference<Order>() { }));
        try (RedisClient client = RedisClient.create(redis.server().uri().toString());
                StatefulRedisConnection<String, String> connection = client.connect()) {
            connection.sync().xgroupDestroy(this.apps.prefix() + "orders", "pollers");
        }

        bridge.send("orders-out", new Order("after", "kansas", 2, 100));
        await().atMost(Duration.ofSeconds(20)).ignoreExceptions().until(() -> {
            source.poll(message -> handled.add(((Order) message.getPayload()).id()), new ParameterizedTypeReference<Order>() { });
            return handled.contains("after");
        });
    }

    /**
     * A payload the poller cannot convert fails before Spring Cloud Stream's acknowledging code, so nobody settles
     * the entry. Once its message is garbage the entry is no longer in hand, and is read again.
     */
    @Test
    void anEntryWhoseMessageWasDroppedUnsettledIsReadAgainOnceTheMessageIsGone() {
        ConfigurableApplicationContext app = this.apps.start(PollingApp.class, "polling", claimingQuickly("only"));
        PollableMessageSource source = app.getBean("orders-in-0", PollableMessageSource.class);
        try (RedisClient client = RedisClient.create(redis.server().uri().toString());
                StatefulRedisConnection<String, String> connection = client.connect()) {
            connection.sync().xadd(this.apps.prefix() + "orders", Map.of("payload", "{not json",
                    "contentType", "application/json"));
        }
        assertThatThrownBy(() -> source.poll(message -> { }, new ParameterizedTypeReference<Order>() { }))
                .isInstanceOf(MessageConversionException.class);

        List<String> handled = new CopyOnWriteArrayList<>();
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            // The entry is let go when its callback is collected; ask for a collection until that has happened.
            System.gc();
            return source.poll(message -> handled.add(new String((byte[]) message.getPayload(),
                    java.nio.charset.StandardCharsets.UTF_8)));
        });
        assertThat(handled).containsExactly("{not json");
    }

    private static String[] claimingQuickly(String consumerName) {
        String consumer = "--spring.cloud.stream.redis.bindings.orders-in-0.consumer.";
        return new String[] { consumer + "claim-min-idle=300ms", consumer + "claim-interval=100ms",
                consumer + "consumer-name=" + consumerName };
    }
}
