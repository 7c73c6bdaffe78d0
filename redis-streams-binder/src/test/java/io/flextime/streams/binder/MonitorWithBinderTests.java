package io.flextime.streams.binder;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import io.lettuce.core.Consumer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.cloud.stream.binder.Binding;
import org.springframework.cloud.stream.binder.ExtendedConsumerProperties;
import org.springframework.messaging.MessageChannel;

import io.flextime.streams.binder.properties.RedisConsumerProperties;
import io.flextime.streams.monitor.GroupSnapshot;
import io.flextime.streams.monitor.MutableClock;
import io.flextime.streams.monitor.MonitorSnapshot;
import io.flextime.streams.monitor.StreamMonitor;
import io.flextime.streams.monitor.alert.Alert;
import io.flextime.streams.monitor.alert.AlertThresholds;
import io.flextime.streams.testing.RedisServerExtension;

import static io.flextime.streams.binder.RedisBinderTestSupport.consumerProperties;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The binder's counters (in Redis and as meters) drive the monitor's error-rate and dead-letter alerts. */
class MonitorWithBinderTests {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    @RegisterExtension
    static final RedisServerExtension redis = new RedisServerExtension();

    private RedisTestBinder binder;

    private RedisBinderTestSupport support;

    private RedisClient client;

    private StatefulRedisConnection<String, String> connection;

    @BeforeEach
    void start() {
        String prefix = "monitored-" + UUID.randomUUID() + ":";
        this.binder = new RedisTestBinder(redis.server(), prefix);
        this.support = new RedisBinderTestSupport(this.binder);
        this.client = RedisClient.create(redis.server().uri().toString());
        this.connection = this.client.connect();
    }

    @AfterEach
    void stop() {
        this.binder.close();
        this.connection.close();
        this.client.shutdown();
    }

    @Test
    void poisonMessagesRaiseTheErrorRateAndDeadLetterAlerts() {
        ExtendedConsumerProperties<RedisConsumerProperties> properties = consumerProperties();
        properties.setMaxAttempts(1);
        Binding<MessageChannel> consumer = this.support.bindConsumer("payments", "ledger", message -> {
            if (new String((byte[]) message.getPayload(), UTF_8).startsWith("poison")) {
                throw new IllegalStateException("cannot post");
            }
        }, properties);
        MutableClock clock = new MutableClock(Instant.now());
        // Each poll below moves the clock a second, and Awaitility polls every 100 ms while the binder flushes its
        // counters about once a real second: a short window would drop the first counts before the last arrive.
        StreamMonitor monitor = StreamMonitor.create(this.connection.async(), this.binder.key(""),
                AlertThresholds.defaults().withWindow(Duration.ofMinutes(5)).withHysteresis(1, 1), 100, clock);
        clock.advance(Duration.ofSeconds(1));
        monitor.poll();

        for (int i = 0; i < 30; i++) {
            this.support.xadd("payments", false, "payload", (i % 3 == 0 ? "poison-" : "ok-") + i);
        }
        // The binder writes its counters about once a second; wait until all 30 are in.
        await().atMost(TIMEOUT).until(() -> {
            clock.advance(Duration.ofSeconds(1));
            MonitorSnapshot snapshot = monitor.poll();
            GroupSnapshot group = snapshot.streams().stream().filter(stream -> stream.key().equals(this.binder.key("payments")))
                    .findFirst().orElseThrow().groups().get(0);
            return group.counters().processed() + group.counters().failed() == 30;
        });

        assertThat(monitor.activeAlerts()).extracting(Alert::rule).contains("error-rate", "dead-letter-growth");
        Alert errorRate = monitor.activeAlerts().stream().filter(alert -> alert.rule().equals("error-rate")).findFirst().orElseThrow();
        assertThat(errorRate.value()).isCloseTo(10.0 / 30, org.assertj.core.data.Offset.offset(0.01));
        var registry = this.binder.metrics().registry();
        assertThat(registry.counter("redis.streams.dead.lettered", "stream", this.binder.key("payments"), "group", "ledger")
                .count()).isEqualTo(10);
        assertThat(registry.counter("redis.streams.consumed", "stream", this.binder.key("payments"), "group", "ledger")
                .count()).isEqualTo(20);
        assertThat(registry.find("redis.streams.handler").timer().count()).isEqualTo(20);
        // Gauges are refreshed in the background; the group has caught up, so lag and pending go to 0.
        await().atMost(TIMEOUT).until(() -> registry.find("redis.streams.lag").tag("group", "ledger").gauge().value() == 0
                && registry.find("redis.streams.pending").tag("group", "ledger").gauge().value() == 0
                && registry.find("redis.streams.length").tag("stream", this.binder.key("payments")).gauge().value() == 30);
        consumer.unbind();
    }

    @Test
    @ExtendWith(OutputCaptureExtension.class)
    void twoGroupsReadingOneStreamShareItsLengthGaugeWithoutAWarning(CapturedOutput output) {
        Binding<MessageChannel> audit = this.support.bindConsumer("shared", "audit", message -> { }, consumerProperties());
        Binding<MessageChannel> billing = this.support.bindConsumer("shared", "billing", message -> { }, consumerProperties());
        for (int i = 0; i < 3; i++) {
            this.support.xadd("shared", false, "payload", "entry-" + i);
        }

        var registry = this.binder.metrics().registry();
        await().atMost(TIMEOUT).until(() -> registry.find("redis.streams.length").tag("stream", this.binder.key("shared"))
                .gauge().value() == 3);
        assertThat(registry.find("redis.streams.length").tag("stream", this.binder.key("shared")).gauges()).hasSize(1);
        assertThat(registry.find("redis.streams.lag").tag("stream", this.binder.key("shared")).gauges()).hasSize(2);
        // Micrometer keeps the first gauge either way; its warning is the only sign of a second registration, and
        // it warns once per JVM (then at debug): this line catches a regression when no earlier test warned.
        assertThat(output.getOut()).doesNotContain("has been already registered");
        audit.unbind();
        billing.unbind();
    }

    @Test
    void onlyNamedGroupsLeaveCountersInRedisOrMetersBehind() {
        java.util.concurrent.atomic.AtomicInteger handled = new java.util.concurrent.atomic.AtomicInteger();
        Binding<MessageChannel> named = this.support.bindConsumer("audits", "archive", message -> handled.incrementAndGet(),
                consumerProperties());
        Binding<MessageChannel> anonymous = this.support.bindConsumer("audits", null, message -> handled.incrementAndGet(),
                consumerProperties());
        for (int i = 0; i < 5; i++) {
            this.support.xadd("audits", false, "payload", "audit-" + i);
        }
        await().atMost(TIMEOUT).until(() -> handled.get() == 10);
        // Flushed in the background every 100 ms: wait until the named group's counts are all in, then look.
        await().atMost(TIMEOUT).until(() -> "5".equals(this.connection.sync()
                .hget("{" + this.binder.key("audits") + "}.archive.counters", "processed")));
        this.binder.metrics().flush();

        // The throw-away group is destroyed on unbind, so a counters hash for it would be left behind for good.
        assertThat(this.connection.sync().keys("{" + this.binder.key("audits") + "}.*"))
                .containsExactly("{" + this.binder.key("audits") + "}.archive.counters");
        assertThat(consumedMeterGroups()).hasSize(2).contains("archive");
        String throwAway = consumedMeterGroups().stream().filter(group -> !group.equals("archive")).findFirst().orElseThrow();
        anonymous.unbind();
        assertThat(consumedMeterGroups()).as("the throw-away group's meters go with it").containsExactly("archive");
        // A handler that outlived the stop reports late: its group's meters must not come back.
        this.binder.metrics().processed(this.binder.key("audits"), throwAway, 1_000);
        assertThat(consumedMeterGroups()).containsExactly("archive");
        named.unbind();
    }

    @Test
    void gaugesOfAGroupOrStreamThatIsGoneDoNotKeepTheirLastFigures() {
        Binding<MessageChannel> consumer = this.support.bindConsumer("rosters", "planner", message -> { },
                consumerProperties());
        consumer.unbind();
        String key = this.binder.key("rosters");
        for (int i = 0; i < 3; i++) {
            this.support.xadd("rosters", false, "payload", "roster-" + i);
        }
        // Read without acknowledging: three pending entries in the named group, whose gauges outlive the binding.
        this.connection.sync().xreadgroup(Consumer.from("planner", "someone"),
                XReadArgs.StreamOffset.lastConsumed(key));
        var registry = this.binder.metrics().registry();
        await().atMost(TIMEOUT).until(() -> gauge(registry, "redis.streams.pending", key) == 3
                && gauge(registry, "redis.streams.lag", key) == 0);

        this.connection.sync().xgroupDestroy(key, "planner");
        await().atMost(TIMEOUT).until(() -> gauge(registry, "redis.streams.pending", key) == 0
                && gauge(registry, "redis.streams.lag", key) == -1);

        this.connection.sync().xgroupCreate(XReadArgs.StreamOffset.from(key, "0"), "planner");
        this.connection.sync().xreadgroup(Consumer.from("planner", "someone"),
                XReadArgs.StreamOffset.lastConsumed(key));
        await().atMost(TIMEOUT).until(() -> gauge(registry, "redis.streams.pending", key) == 3);
        this.connection.sync().del(key);
        await().atMost(TIMEOUT).until(() -> gauge(registry, "redis.streams.pending", key) == 0
                && gauge(registry, "redis.streams.lag", key) == -1
                && registry.find("redis.streams.length").tag("stream", key).gauge().value() == 0);
    }

    private static double gauge(io.micrometer.core.instrument.MeterRegistry registry, String name, String stream) {
        return registry.find(name).tags("stream", stream, "group", "planner").gauge().value();
    }

    private java.util.List<String> consumedMeterGroups() {
        return this.binder.metrics().registry().find("redis.streams.consumed").tag("stream", this.binder.key("audits"))
                .counters().stream().map(counter -> counter.getId().getTag("group")).toList();
    }
}
