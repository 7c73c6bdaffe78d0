package io.flextime.streams.binder.app;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.cloud.stream.config.BindersHealthIndicatorAutoConfiguration.BindersHealthContributor;
import org.springframework.cloud.stream.function.StreamBridge;
import org.springframework.context.ConfigurableApplicationContext;

import io.flextime.streams.testing.RedisServer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.awaitility.Awaitility.await;

/**
 * Restarts of the consumer and of Redis, each against a Redis this test owns: pending entries survive a
 * consumer restart under the same name, an unreachable Redis is reported clearly and bound later, and
 * readers reconnect by themselves.
 */
@ExtendWith(OutputCaptureExtension.class)
class ConsumerRecoveryTests {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private RedisServer redis;

    private TestApps apps;

    @BeforeEach
    void start() {
        this.redis = RedisServer.start();
        this.apps = new TestApps(this.redis, "recovery-" + UUID.randomUUID() + ":");
    }

    @AfterEach
    void stop() {
        this.apps.close();
        this.redis.close();
    }

    @Test
    void restartedConsumerProcessesItsOwnPendingEntries() {
        String[] worker = { "--sink.group=restart", "--spring.cloud.stream.redis.default.consumer.consumer-name=worker-a",
                "--spring.cloud.stream.bindings.orderSink-in-0.consumer.max-attempts=1",
                "--spring.cloud.stream.redis.default.consumer.dead-letter-enabled=false" };
        ConfigurableApplicationContext failing = this.apps.start(SinkApp.class, "sink", with(worker, "--sink.fail=true"));
        StreamBridge bridge = failing.getBean(StreamBridge.class);
        for (int i = 0; i < 20; i++) {
            bridge.send("orders-out", new Order("o-" + i, "kansas", i, 100));
        }
        // Every entry was delivered to worker-a-0 and none acknowledged.
        await().atMost(TIMEOUT).until(() -> pendingCount("restart") == 20);
        failing.close();

        ConfigurableApplicationContext restarted = this.apps.start(SinkApp.class, "sink", worker);

        Received<Order> orders = RedisBinderApplicationTests.received(restarted);
        await().atMost(TIMEOUT).until(() -> orders.size() == 20);
        assertThat(orders.items()).extracting(Order::sequence).containsExactlyElementsOf(IntStream.range(0, 20).boxed().toList());
        await().atMost(TIMEOUT).until(() -> pendingCount("restart") == 0);
    }

    @Test
    void unreachableRedisAtStartupIsNamedAndTheBindingIsRetried(CapturedOutput output) {
        assumeTrue(this.redis.supportsFaults(), this.redis.faultsUnsupportedReason());
        this.redis.stop();
        ConfigurableApplicationContext app = this.apps.start(SinkApp.class, "sink", "--sink.group=late",
                "--spring.cloud.stream.binding-retry-interval=1");

        assertThat(output).contains("Cannot reach Redis at 127.0.0.1:" + this.redis.port());
        assertThat(binderHealth(app).health().getStatus()).isEqualTo(Status.DOWN);

        this.redis.restart();
        await().atMost(TIMEOUT).until(() -> binderHealth(app).health().getStatus().equals(Status.UP));
        await().atMost(TIMEOUT).until(() -> groupExists("late"));
        app.getBean(StreamBridge.class).send("orders-out", new Order("o-late", "kansas", 1, 100));
        await().atMost(TIMEOUT).until(() -> RedisBinderApplicationTests.received(app).size() == 1);
    }

    @Test
    void readersReconnectAfterRedisRestartsWithoutALogLinePerPoll(CapturedOutput output) {
        assumeTrue(this.redis.supportsFaults(), this.redis.faultsUnsupportedReason());
        ConfigurableApplicationContext app = this.apps.start(SinkApp.class, "sink", "--sink.group=resilient");
        StreamBridge bridge = app.getBean(StreamBridge.class);
        bridge.send("orders-out", new Order("before", "kansas", 1, 100));
        await().atMost(TIMEOUT).until(() -> RedisBinderApplicationTests.received(app).size() == 1);

        this.redis.kill();
        // Wait until the reader has noticed and the binder reports DOWN: several BLOCK periods (200 ms) pass meanwhile.
        await().atMost(TIMEOUT).until(() -> output.getAll().contains("cannot read from Redis at"));
        await().atMost(TIMEOUT).until(() -> binderHealth(app).health().getStatus().equals(Status.DOWN));
        this.redis.restart();

        // The data is gone (no persistence), so the reader must also recreate its group (NOGROUP).
        await().atMost(TIMEOUT).until(() -> groupExists("resilient"));
        await().atMost(TIMEOUT).ignoreExceptions().until(() -> bridge.send("orders-out", new Order("after", "kansas", 2, 100))
                && RedisBinderApplicationTests.received(app).items().stream().anyMatch(order -> order.id().equals("after")));
        long lostRedisWarnings = output.getAll().lines().filter(line -> line.contains("cannot read from Redis at")).count();
        assertThat(lostRedisWarnings).isLessThanOrEqualTo(2);
    }

    private HealthIndicator binderHealth(ConfigurableApplicationContext app) {
        CompositeHealthContributor binders = app.getBean(BindersHealthContributor.class);
        return (HealthIndicator) binders.getContributor("redis");
    }

    private long pendingCount(String group) {
        try (RedisClient client = RedisClient.create(this.redis.uri().toString());
                StatefulRedisConnection<String, String> connection = client.connect()) {
            return connection.sync().xpending(this.apps.prefix() + "orders", group).getCount();
        }
    }

    private boolean groupExists(String group) {
        try (RedisClient client = RedisClient.create(this.redis.uri().toString());
                StatefulRedisConnection<String, String> connection = client.connect()) {
            List<Object> groups = connection.sync().xinfoGroups(this.apps.prefix() + "orders");
            return groups.stream().anyMatch(info -> ((List<?>) info).contains(group));
        }
        catch (RuntimeException ex) {
            return false;
        }
    }

    private static String[] with(String[] base, String extra) {
        String[] all = java.util.Arrays.copyOf(base, base.length + 1);
        all[base.length] = extra;
        return all;
    }
}
