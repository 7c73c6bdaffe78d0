package io.flextime.streams.binder;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.models.stream.PendingMessage;
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
import org.springframework.messaging.MessageChannel;
import org.springframework.messaging.support.MessageBuilder;

import io.flextime.streams.binder.properties.RedisConsumerProperties;
import io.flextime.streams.binder.properties.RedisProducerProperties;
import io.flextime.streams.monitor.MonitorSnapshot;
import io.flextime.streams.monitor.SnapshotCollector;
import io.flextime.streams.monitor.StreamAdmin;
import io.flextime.streams.monitor.StreamSnapshot;
import io.flextime.streams.monitor.TextConnection;
import io.flextime.streams.testing.RedisServerExtension;

import static io.flextime.streams.binder.RedisBinderTestSupport.consumerProperties;
import static io.flextime.streams.binder.RedisBinderTestSupport.producerProperties;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The binder under the least privileges the README documents: an ACL user limited to the stream commands on
 * the binder's prefix, plus what the handshake, blocking-read interruption, Lua scripts and counters need.
 * Everything the binder does (publish, consume, retry and dead-letter, pause and resume, anonymous groups,
 * counters) must work; anything else must be refused.
 */
class LeastPrivilegeAclTests {

    /** The rule as documented in the README (Security); keep the two identical. */
    static final String RULE = "on >binder-secret resetkeys ~acl:* ~{acl:* resetchannels -@all +@stream +hello +ping "
            + "+client|setname +client|id +client|unblock +eval +evalsha +hincrby +time";

    /**
     * The monitor's rule as documented in the README: the binder's stream commands without the binder's own
     * extras, plus what a monitoring pass reads (TIME: the time lag by Redis' clock) and what the admin actions
     * change.
     */
    static final String MONITOR_RULE = "on >monitor-secret resetkeys ~acl:* ~{acl:* resetchannels -@all +@stream "
            + "+hello +ping +client|setname +client|id +scan +type +memory|usage +hgetall +eval +evalsha +del +time";

    private static final Duration TIMEOUT = Duration.ofSeconds(15);

    @RegisterExtension
    static final RedisServerExtension redis = new RedisServerExtension();

    private RedisClient adminClient;

    private StatefulRedisConnection<String, String> admin;

    private RedisTestBinder binder;

    @BeforeEach
    void createUserAndBinder() {
        this.adminClient = RedisClient.create(redis.server().uri().toString());
        this.admin = this.adminClient.connect();
        setUser("binder", RULE);
        setUser("monitor", MONITOR_RULE);
        this.binder = new RedisTestBinder("redis://binder:binder-secret@" + redis.server().host() + ":"
                + redis.server().port(), "acl:");
    }

    @AfterEach
    void close() {
        this.binder.close(false);
        this.admin.sync().flushall();
        this.admin.close();
        this.adminClient.shutdown();
    }

    /**
     * Without scripts (here an ACL refusing EVAL and EVALSHA) the ownership of an entry in hand cannot be refreshed:
     * that is said at WARN, once, as another consumer may then claim the entry mid-flight.
     */
    @Test
    @ExtendWith(OutputCaptureExtension.class)
    void aFailingOwnershipRefreshIsReportedOnce(CapturedOutput output) {
        setUser("no-scripts", RULE.replace(">binder-secret", ">no-scripts-secret").replace(" +eval +evalsha", ""));
        RedisTestBinder scriptless = new RedisTestBinder("redis://no-scripts:no-scripts-secret@" + redis.server().host()
                + ":" + redis.server().port(), "acl:");
        try {
            RedisBinderTestSupport support = new RedisBinderTestSupport(scriptless);
            ExtendedConsumerProperties<RedisConsumerProperties> properties = consumerProperties();
            // Refreshed every 100 ms while in hand.
            properties.getExtension().setClaimMinIdle(Duration.ofMillis(300));
            java.util.concurrent.CountDownLatch reported = new java.util.concurrent.CountDownLatch(1);
            Binding<MessageChannel> consumer = support.bindConsumer("held", "g", message -> {
                await().atMost(TIMEOUT).until(() -> output.getOut().contains("Could not refresh ownership"));
                reported.countDown();
            }, properties);
            this.admin.sync().xadd(scriptless.key("held"), "payload", "in hand");

            await().atMost(TIMEOUT).until(() -> reported.getCount() == 0);
            assertThat(output.getOut()).contains("another consumer may claim them and handle them a second time");
            assertThat(output.getOut().split("Could not refresh ownership", -1)).hasSize(2);
            consumer.unbind();
        }
        finally {
            scriptless.close(false);
        }
    }

    @Test
    void everythingTheBinderDoesWorksUnderTheRule() {
        RedisBinderTestSupport support = new RedisBinderTestSupport(this.binder);
        // An entry another consumer read and never acknowledged, before the binder starts: it must claim it.
        String key = this.binder.key("orders");
        this.admin.sync().xgroupCreate(io.lettuce.core.XReadArgs.StreamOffset.from(key, "0"), "billing",
                io.lettuce.core.XGroupCreateArgs.Builder.mkstream());
        this.admin.sync().xadd(key, "payload", "orphan");
        assertThat(this.admin.sync().xreadgroup(io.lettuce.core.Consumer.from("billing", "ghost"),
                io.lettuce.core.XReadArgs.Builder.count(1), io.lettuce.core.XReadArgs.StreamOffset.lastConsumed(key)))
                .hasSize(1);
        DirectChannel output = new DirectChannel();
        Binding<MessageChannel> producer = this.binder.bindProducer("orders", output, producerProperties());
        List<String> handled = new CopyOnWriteArrayList<>();
        ExtendedConsumerProperties<RedisConsumerProperties> properties = consumerProperties();
        properties.setMaxAttempts(1);
        // Claiming (XAUTOCLAIM, then the Lua scripts that remove dead consumers) runs within the test.
        properties.getExtension().setClaimMinIdle(Duration.ofMillis(300));
        properties.getExtension().setClaimInterval(Duration.ofMillis(200));
        properties.getExtension().setDeadConsumerIdle(Duration.ofMillis(300));
        Binding<MessageChannel> consumer = support.bindConsumer("orders", "billing", message -> {
            String payload = new String((byte[]) message.getPayload(), UTF_8);
            if (payload.startsWith("poison")) {
                throw new IllegalStateException("cannot bill " + payload);
            }
            handled.add(payload);
        }, properties);
        List<String> anonymous = new CopyOnWriteArrayList<>();
        Binding<MessageChannel> watcher = support.bindConsumer("orders", null,
                message -> anonymous.add(new String((byte[]) message.getPayload(), UTF_8)), consumerProperties());

        consumer.pause();
        output.send(MessageBuilder.withPayload("ok-1".getBytes(UTF_8)).build());
        output.send(MessageBuilder.withPayload("poison-1".getBytes(UTF_8)).build());
        output.send(MessageBuilder.withPayload("ok-2".getBytes(UTF_8)).build());
        await().atMost(TIMEOUT).until(() -> anonymous.size() == 3);
        assertThat(anonymous).containsExactly("ok-1", "poison-1", "ok-2");
        // The orphan may have been claimed before the pause; nothing published during it was handled.
        assertThat(handled).doesNotContain("ok-1", "ok-2");
        consumer.resume();

        await().atMost(TIMEOUT).until(() -> handled.size() == 3
                && support.entries("{" + this.binder.key("orders") + "}.billing.dlq").size() == 1);
        assertThat(handled).containsExactlyInAnyOrder("orphan", "ok-1", "ok-2");
        await().atMost(TIMEOUT).until(() -> support.pendingCount(this.binder.key("orders"), "billing") == 0);
        // The counters are flushed in the background (every 100 ms here); a flush may be under way.
        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(this.admin.sync().hgetall("{" + key + "}.billing.counters"))
                .containsEntry("processed", "3").containsEntry("deadLettered", "1").containsEntry("claimed", "1"));
        await().atMost(TIMEOUT).until(() -> this.admin.sync().xinfoConsumers(key, "billing").stream()
                .noneMatch(consumerInfo -> consumerInfo.toString().contains("ghost")));

        watcher.unbind();
        assertThat(this.admin.sync().xinfoGroups(this.binder.key("orders"))).hasSize(1);
        consumer.unbind();
        producer.unbind();
    }

    @Test
    void theMonitorsRuleCoversAPassAndEveryAdminAction() {
        String key = "acl:orders";
        String deadLetters = "{acl:orders}.g.dlq";
        RedisCommands<String, String> seed = this.admin.sync();
        seed.xgroupCreate(io.lettuce.core.XReadArgs.StreamOffset.from(key, "0"), "g",
                io.lettuce.core.XGroupCreateArgs.Builder.mkstream());
        for (int i = 0; i < 5; i++) {
            seed.xadd(key, "payload", "order-" + i);
        }
        List<String> read = seed.xreadgroup(io.lettuce.core.Consumer.from("g", "worker"),
                io.lettuce.core.XReadArgs.Builder.count(3), io.lettuce.core.XReadArgs.StreamOffset.lastConsumed(key))
                .stream().map(io.lettuce.core.StreamMessage::getId).toList();
        seed.hset("{acl:orders}.g.counters", Map.of("processed", "7", "failed", "1"));
        seed.xadd(deadLetters, "payload", "dead", StreamAdmin.ORIGINAL_STREAM_FIELD, key);

        RedisClient client = RedisClient.create("redis://monitor:monitor-secret@" + redis.server().host() + ":"
                + redis.server().port());
        try (StreamAdmin admin = StreamAdmin.open(client, Duration.ofSeconds(5));
                TextConnection connection = TextConnection.open(client)) {
            MonitorSnapshot snapshot = new SnapshotCollector(connection.async(), "acl:", java.time.Clock.systemUTC(),
                    Duration.ofSeconds(5)).collect();
            assertThat(snapshot.streams()).extracting(StreamSnapshot::name).containsExactly("orders", "{orders}.g.dlq");
            assertThat(snapshot.streams().get(0).memoryBytes()).isPositive();
            assertThat(snapshot.streams().get(0).groups()).singleElement().satisfies(group -> {
                assertThat(group.pending()).isEqualTo(3);
                assertThat(group.counters().processed()).isEqualTo(7);
            });

            assertThat(admin.isStream(key)).isTrue();
            assertThat(admin.entries(key, "-", "+", 10, false)).hasSize(5);
            assertThat(admin.claim(key, "g", "rescuer", read.get(0))).containsExactly(read.get(0));
            assertThat(admin.acknowledge(key, "g", read.get(0))).isEqualTo(1);
            assertThat(admin.deleteConsumerIfNothingPending(key, "g", "worker")).isFalse();
            assertThat(admin.deleteConsumerIfNothingPending(key, "g", "rescuer")).isTrue();
            admin.resetGroup(key, "g", "$");
            assertThat(admin.trimToLength(key, 2, false)).isEqualTo(3);
            assertThat(admin.replayDeadLetters(deadLetters, 10, "").replayed()).hasSize(1);
            assertThat(admin.length(key)).isEqualTo(3);
            assertThat(admin.deleteStream(deadLetters)).isTrue();
        }
        finally {
            client.shutdown();
        }
    }

    /**
     * A producer with wait-replicas also sends WAIT, which the rule lacks: refused as a failed send, and with
     * {@code +wait} (as the README says) it reaches Redis. This Redis has no replica, so the send is then stored
     * but not confirmed.
     */
    @Test
    void aProducerThatWaitsForReplicasNeedsPlusWait() {
        setUser("waiting", RULE.replace(">binder-secret", ">waiting-secret") + " +wait");
        for (String user : List.of("binder:binder-secret", "waiting:waiting-secret")) {
            RedisTestBinder waiting = new RedisTestBinder("redis://" + user + "@" + redis.server().host() + ":"
                    + redis.server().port(), "acl:");
            try {
                DirectChannel output = new DirectChannel();
                ExtendedProducerProperties<RedisProducerProperties> properties =
                        new ExtendedProducerProperties<>(new RedisProducerProperties());
                properties.getExtension().setSync(true);
                properties.getExtension().setWaitReplicas(1);
                properties.getExtension().setWaitTimeout(Duration.ofMillis(100));
                Binding<MessageChannel> binding = waiting.getBinder().bindProducer("replicated", output, properties);
                assertThatThrownBy(() -> output.send(MessageBuilder.withPayload("x".getBytes(UTF_8)).build()))
                        .rootCause().hasMessageContaining(user.startsWith("binder") ? "NOPERM" : "0 of the 1 required replicas");
                binding.unbind();
            }
            finally {
                waiting.close(false);
            }
        }
    }

    @Test
    void theRuleRefusesEverythingElse() {
        RedisClient client = RedisClient.create("redis://binder:binder-secret@" + redis.server().host() + ":"
                + redis.server().port());
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            RedisCommands<String, String> commands = connection.sync();
            assertThatExceptionOfType(RedisCommandExecutionException.class).isThrownBy(() -> commands.get("acl:orders"))
                    .withMessageContaining("NOPERM");
            assertThatExceptionOfType(RedisCommandExecutionException.class).isThrownBy(() -> commands.xlen("other:orders"))
                    .withMessageContaining("NOPERM");
            assertThatExceptionOfType(RedisCommandExecutionException.class).isThrownBy(commands::flushall)
                    .withMessageContaining("NOPERM");
            assertThatExceptionOfType(RedisCommandExecutionException.class).isThrownBy(() -> commands.clientKill("127.0.0.1:1"))
                    .withMessageContaining("NOPERM");
        }
        finally {
            client.shutdown();
        }
    }

    @Test
    @ExtendWith(OutputCaptureExtension.class)
    void everyRefusedAcknowledgementIsLoggedAndItsEntriesStayPending(CapturedOutput output) {
        setUser("no-ack", RULE.replace(">binder-secret", ">no-ack-secret") + " -xack");
        RedisTestBinder withoutAck = new RedisTestBinder("redis://no-ack:no-ack-secret@" + redis.server().host() + ":"
                + redis.server().port(), "acl:");
        try {
            String key = withoutAck.key("unacked");
            // In the stream before the group exists and read one at a time, so each XACK is queued behind a read
            // ahead: its failure must be logged when its reply comes, not looked for at the next read.
            for (String payload : List.of("a", "b", "c")) {
                this.admin.sync().xadd(key, "payload", payload);
            }
            ExtendedConsumerProperties<RedisConsumerProperties> properties = consumerProperties();
            properties.getExtension().setCount(1);
            List<String> handled = new CopyOnWriteArrayList<>();
            Binding<MessageChannel> consumer = new RedisBinderTestSupport(withoutAck).bindConsumer("unacked", "g",
                    message -> handled.add(new String((byte[]) message.getPayload(), UTF_8)), properties);

            await().atMost(TIMEOUT).until(() -> output.getOut().split("Acknowledgement of 1 entry failed", -1).length - 1 == 3);
            assertThat(handled).containsExactly("a", "b", "c");
            assertThat(output.getOut()).contains("they stay pending and are delivered again").contains("NOPERM");
            assertThat(this.admin.sync().xpending(key, "g").getCount()).isEqualTo(3);
            consumer.unbind();
        }
        finally {
            withoutAck.close(false);
        }
    }

    /**
     * A stop hands what it took but never started back to the group with a script. Refused (here: no EVAL), the
     * stop still completes and says so, and the entries stay this consumer's, as after a crash: the next start
     * under the same name recovers them, and another consumer could claim them after claim-min-idle.
     */
    @Test
    @ExtendWith(OutputCaptureExtension.class)
    void aReleaseRefusedOnStopIsLoggedAndLosesNothing(CapturedOutput output) throws Exception {
        setUser("no-script", RULE.replace(">binder-secret", ">no-script-secret") + " -eval -evalsha");
        RedisTestBinder withoutScripts = new RedisTestBinder("redis://no-script:no-script-secret@"
                + redis.server().host() + ":" + redis.server().port(), "acl:");
        try {
            String key = withoutScripts.key("unreleased");
            // Both in the stream before the group exists, so the first read takes them together.
            for (String payload : List.of("in-hand", "not-started")) {
                this.admin.sync().xadd(key, "payload", payload);
            }
            GatedHandler handler = new GatedHandler();
            Binding<MessageChannel> consumer = new RedisBinderTestSupport(withoutScripts).bindConsumer("unreleased",
                    "g", handler, consumerProperties());
            handler.awaitEntered();

            handler.stopWhileInHand(consumer);

            assertThat(handler.handled).containsExactly("in-hand");
            assertThat(output.getOut()).contains("could not release 1 entry it took but never started")
                    .contains("NOPERM");
            // Not released: still counted as delivered once, and not made idle for another consumer's claim.
            List<PendingMessage> pending = this.admin.sync().xpending(key, "g", Range.create("-", "+"), Limit.from(10));
            assertThat(pending).singleElement().satisfies(entry -> {
                assertThat(entry.getRedeliveryCount()).isEqualTo(1);
                assertThat(entry.getMsSinceLastDelivery()).isLessThan(Duration.ofMinutes(1).toMillis());
            });

            // The same consumer name under a user that may run scripts: its recovery handles the entry.
            GatedHandler restarted = new GatedHandler();
            restarted.release();
            Binding<MessageChannel> again = new RedisBinderTestSupport(this.binder).bindConsumer("unreleased", "g",
                    restarted, consumerProperties());
            await().atMost(TIMEOUT).until(() -> this.admin.sync().xpending(key, "g").getCount() == 0);
            assertThat(restarted.handled).containsExactly("not-started");
            again.unbind();
        }
        finally {
            withoutScripts.close(false);
        }
    }

    private void setUser(String name, String rule) {
        List<String> arguments = new ArrayList<>(List.of("SETUSER", name));
        arguments.addAll(List.of(rule.split(" ")));
        this.admin.sync().dispatch(io.lettuce.core.protocol.CommandType.ACL,
                new io.lettuce.core.output.StatusOutput<>(io.lettuce.core.codec.StringCodec.UTF8),
                new io.lettuce.core.protocol.CommandArgs<>(io.lettuce.core.codec.StringCodec.UTF8).addValues(arguments));
    }
}
