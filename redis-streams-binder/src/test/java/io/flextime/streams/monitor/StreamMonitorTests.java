package io.flextime.streams.monitor;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import io.lettuce.core.AclSetuserArgs;
import io.lettuce.core.Consumer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.flextime.streams.monitor.alert.Alert;
import io.flextime.streams.monitor.alert.AlertThresholds;
import io.flextime.streams.testing.RedisServerExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The monitoring core against a real Redis with real streams, groups, producers and consumers. The monitor's
 * clock is moved by hand between passes; only idle times come from Redis' own clock.
 */
class StreamMonitorTests {

    @RegisterExtension
    static final RedisServerExtension redisServer = new RedisServerExtension();

    private RedisClient client;

    private StatefulRedisConnection<String, String> connection;

    private RedisCommands<String, String> redis;

    private String prefix;

    private MutableClock clock;

    @BeforeEach
    void connect() {
        this.client = RedisClient.create(redisServer.server().uri().toString());
        this.connection = this.client.connect();
        this.redis = this.connection.sync();
        this.prefix = "monitor-" + UUID.randomUUID() + ":";
        this.clock = new MutableClock(Instant.now());
    }

    @AfterEach
    void disconnect() {
        this.connection.close();
        this.client.shutdown();
    }

    @Test
    void onePassOverFiftyStreamsWithThreeGroupsEachTakesThreeRoundTrips() {
        for (int stream = 0; stream < 50; stream++) {
            String key = this.prefix + "s" + stream;
            this.redis.xadd(key, Map.of("payload", "x"));
            for (int group = 0; group < 3; group++) {
                this.redis.xgroupCreate(XReadArgs.StreamOffset.from(key, "0"), "g" + group);
            }
        }
        this.redis.set(this.prefix + "not-a-stream", "ignored");
        // Matched by the one SCAN pattern (*prefix*), but not under the prefix.
        this.redis.xadd("elsewhere:" + this.prefix + "s0", Map.of("payload", "x"));

        MonitorSnapshot snapshot = monitor(thresholds()).poll();

        assertThat(snapshot.streams()).hasSize(50).allSatisfy(stream -> assertThat(stream.key()).startsWith(this.prefix));
        assertThat(snapshot.streams()).allSatisfy(stream -> assertThat(stream.groups()).hasSize(3));
        // One SCAN page (COUNT 1000 covers 52 keys), one pipelined phase for streams, one for groups.
        assertThat(snapshot.roundTrips()).isEqualTo(3);
        assertThat(snapshot.totalLag()).isEqualTo(150);
    }

    @Test
    void onALargeKeyspaceEachPassAfterTheFirstScansABoundedPartYetNewStreamsShowUpAndDeletedOnesGoAtOnce() {
        // 30,000 keys that are not streams: one walk of the keyspace takes over 30 SCAN pages.
        for (int chunk = 0; chunk < 30; chunk++) {
            Map<String, String> values = new HashMap<>();
            for (int i = 0; i < 1000; i++) {
                values.put(this.prefix + "cache-" + chunk + "-" + i, "x");
            }
            this.redis.mset(values);
        }
        try {
            this.redis.xadd(this.prefix + "first", Map.of("payload", "x"));
            StreamMonitor monitor = monitor(thresholds());

            MonitorSnapshot complete = pass(monitor);
            assertThat(streamKeys(complete)).containsExactly(this.prefix + "first");
            assertThat(complete.roundTrips()).as("the first walk is done in full")
                    .isGreaterThan(StreamDiscovery.PAGES_PER_PASS + 2);

            this.redis.del(this.prefix + "first");
            this.redis.xadd(this.prefix + "second", Map.of("payload", "x"));
            assertThat(monitor.snapshotNow(this.prefix + "second")).as("one stream, asked for by name: no walk needed")
                    .hasValueSatisfying(stream -> assertThat(stream.length()).isOne());
            assertThat(monitor.snapshotNow(this.prefix + "first")).isEmpty();
            this.redis.xadd("elsewhere:second", Map.of("payload", "x"));
            assertThat(monitor.snapshotNow("elsewhere:second")).as("not under the prefix").isEmpty();
            MonitorSnapshot bounded = pass(monitor);
            assertThat(bounded.roundTrips()).isLessThanOrEqualTo(StreamDiscovery.PAGES_PER_PASS + 2);
            assertThat(streamKeys(bounded)).doesNotContain(this.prefix + "first");
            await().atMost(Duration.ofSeconds(20)).until(() -> streamKeys(pass(monitor)).contains(this.prefix + "second"));
        }
        finally {
            // With REDIS_URL the server is shared: other tests' monitors must not see a large keyspace.
            for (int chunk = 0; chunk < 30; chunk++) {
                int from = chunk;
                this.redis.del(java.util.stream.IntStream.range(0, 1000).mapToObj(i -> this.prefix + "cache-" + from + "-" + i)
                        .toArray(String[]::new));
            }
        }
    }

    private static List<String> streamKeys(MonitorSnapshot snapshot) {
        return snapshot.streams().stream().map(StreamSnapshot::key).toList();
    }

    @Test
    void snapshotReportsLengthIdsLagPendingAgeAndConsumers() {
        String key = this.prefix + "orders";
        List<String> ids = publish(key, 5);
        this.redis.xgroupCreate(XReadArgs.StreamOffset.from(key, "0"), "billing");
        readAs(key, "billing", "worker-1", 2);
        this.redis.xadd("{" + this.prefix + "orders}.billing.dlq", Map.of("payload", "dead"));

        MonitorSnapshot snapshot = monitor(thresholds()).poll();

        StreamSnapshot stream = find(snapshot, key);
        assertThat(stream.length()).isEqualTo(5);
        assertThat(stream.firstId()).isEqualTo(ids.get(0));
        assertThat(stream.lastId()).isEqualTo(ids.get(4));
        assertThat(stream.entriesAdded()).isEqualTo(5);
        assertThat(stream.deadLetter()).isFalse();
        GroupSnapshot group = stream.groups().get(0);
        assertThat(group.lag()).isEqualTo(3);
        assertThat(group.entriesRead()).isEqualTo(2);
        assertThat(group.pending()).isEqualTo(2);
        assertThat(group.lastDeliveredId()).isEqualTo(ids.get(1));
        assertThat(group.oldestPendingIdleMs()).isNotNull();
        assertThat(group.maxDeliveryCount()).isEqualTo(1);
        assertThat(group.timeLagMs()).isNotNull().isGreaterThanOrEqualTo(0);
        assertThat(group.consumers()).singleElement().satisfies(consumer -> {
            assertThat(consumer.name()).isEqualTo("worker-1");
            assertThat(consumer.pending()).isEqualTo(2);
        });
        assertThat(find(snapshot, "{" + this.prefix + "orders}.billing.dlq").deadLetter()).isTrue();
    }

    @Test
    void laggingGroupFiresTheLagAlertThenResolvesItAfterCatchingUp() {
        String key = this.prefix + "lagging";
        fiftyUnreadBy(key, "slow");
        StreamMonitor monitor = monitor(thresholds().withLagThreshold(10).withHysteresis(2, 2));
        List<Alert> heard = new CopyOnWriteArrayList<>();
        monitor.onAlert(heard::add);

        pass(monitor);
        assertThat(monitor.activeAlerts()).as("one breaching pass is not enough").isEmpty();
        pass(monitor);
        assertThat(monitor.activeAlerts()).extracting(Alert::rule).contains("consumer-lag");

        consume(key, "slow", "worker-1", 50);
        pass(monitor);
        assertThat(monitor.activeAlerts()).extracting(Alert::rule).as("one clear pass is not enough").contains("consumer-lag");
        pass(monitor);

        assertThat(monitor.activeAlerts()).extracting(Alert::rule).doesNotContain("consumer-lag");
        List<Alert> lagAlerts = heard.stream().filter(alert -> alert.rule().equals("consumer-lag")).toList();
        assertThat(lagAlerts).hasSize(2);
        assertThat(lagAlerts.get(0).isActive()).isTrue();
        assertThat(lagAlerts.get(0).value()).isEqualTo(50);
        assertThat(lagAlerts.get(1).resolvedAt()).isNotNull();
        assertThat(monitor.alerts().history()).anySatisfy(alert -> assertThat(alert.rule()).isEqualTo("consumer-lag"))
                .allSatisfy(alert -> assertThat(alert.firedAt()).isNotNull());
    }

    @Test
    void stalledGroupIsRecognisedAndAnIdleStreamWithZeroLagIsNot() {
        String stalled = this.prefix + "stalled";
        String idle = this.prefix + "idle";
        this.redis.xgroupCreate(XReadArgs.StreamOffset.from(idle, "0"), "caught-up", io.lettuce.core.XGroupCreateArgs.Builder.mkstream());
        oneOfFiveInHand(stalled, "stuck", "worker-1");
        publish(idle, 3);
        consume(idle, "caught-up", "worker-2", 3);
        StreamMonitor monitor = monitor(thresholds().withHysteresis(1, 1));

        for (int i = 0; i < 4; i++) {
            pass(monitor);
        }

        assertThat(monitor.activeAlerts()).filteredOn(alert -> alert.stream().equals(stalled))
                .extracting(Alert::rule).contains("lag-stalled");
        assertThat(monitor.activeAlerts()).filteredOn(alert -> alert.stream().equals(idle)).isEmpty();
    }

    /**
     * A slow handler spends the whole window on one read batch, so {@code entries-read} stands still while lag stays
     * up; the binder's counters show it is handling entries, and that is no stall.
     */
    @Test
    void aGroupHandlingOneLongBatchIsNotTakenForStalled() {
        String key = this.prefix + "slow";
        oneOfFiveInHand(key, "slow", "worker-1");
        StreamMonitor monitor = monitor(thresholds().withHysteresis(1, 1));

        for (int i = 0; i < 4; i++) {
            this.redis.hincrby(ProcessingCounts.key(key, "slow"), "processed", 1);
            pass(monitor);
        }

        assertThat(monitor.activeAlerts()).extracting(Alert::rule).doesNotContain("lag-stalled");
    }

    /** A trend is judged over the whole window: not over the first few passes after a start or a new group. */
    @Test
    void aTrendIsJudgedOnlyOnceTheHistorySpansTheWindow() {
        String young = this.prefix + "young";
        oneOfFiveInHand(young, "stuck", "worker-1");
        StreamMonitor monitor = monitor(thresholds().withMonitoringInterval(Duration.ofSeconds(1)).withHysteresis(1, 1));

        for (int i = 0; i < 4; i++) {
            pass(monitor);
        }
        assertThat(monitor.activeAlerts()).extracting(Alert::rule).doesNotContain("lag-stalled");

        for (int i = 0; i < 8; i++) {
            pass(monitor);
        }
        assertThat(monitor.activeAlerts()).filteredOn(alert -> alert.stream().equals(young))
                .extracting(Alert::rule).contains("lag-stalled");
    }

    /**
     * Passes come an interval plus a pass's own time apart (the next is scheduled when one ends), so the first pass
     * within the window may come more than an interval after its start: the trend is judged all the same.
     */
    @Test
    void aTrendIsJudgedWhenPassesComeMoreThanAnIntervalApart() {
        String key = this.prefix + "slow-passes";
        oneOfFiveInHand(key, "stuck", "worker-1");
        StreamMonitor monitor = monitor(thresholds().withMonitoringInterval(Duration.ofSeconds(1)).withHysteresis(1, 1));

        // 1.115 s apart: the first pass within the 10 s window comes 1.08 s after its start, whatever the pass.
        for (int i = 0; i < 12; i++) {
            this.clock.advance(Duration.ofMillis(1_115));
            monitor.poll();
        }

        assertThat(monitor.activeAlerts()).filteredOn(alert -> alert.stream().equals(key))
                .extracting(Alert::rule).contains("lag-stalled");
    }

    /**
     * A handler that never returns: the binder keeps refreshing its entry's ownership, so the entry's idle time
     * stays short (here: the test's real seconds are few while the monitor's clock moves a second a pass), yet the
     * same entry stays the oldest pending one. That is stuck too.
     */
    @Test
    void anEntryKeptInHandLongerThanTheThresholdIsStuckThoughItsIdleTimeIsShort() {
        String key = this.prefix + "hung";
        oneOfFiveInHand(key, "g", "worker-1");
        StreamMonitor monitor = monitor(thresholds().withStuckPending(Duration.ofSeconds(3))
                .withMonitoringInterval(Duration.ofSeconds(1)).withHysteresis(1, 1));

        pass(monitor);
        assertThat(monitor.activeAlerts()).extracting(Alert::rule).doesNotContain("stuck-pending");
        for (int i = 0; i < 5; i++) {
            pass(monitor);
        }

        assertThat(monitor.activeAlerts()).filteredOn(alert -> alert.rule().equals("stuck-pending")).singleElement()
                .satisfies(alert -> assertThat(alert.message()).contains("a handler that does not return"));
    }

    /** Passes more than an interval apart (2.1 s for 1 s) still see an entry held past the threshold. */
    @Test
    void anEntryHeldPastTheThresholdIsStuckWhenPassesComeMoreThanAnIntervalApart() {
        String key = this.prefix + "hung-slow-passes";
        oneOfFiveInHand(key, "g", "worker-1");
        StreamMonitor monitor = monitor(thresholds().withStuckPending(Duration.ofSeconds(3))
                .withMonitoringInterval(Duration.ofSeconds(1)).withHysteresis(1, 1));

        for (int i = 0; i < 6; i++) {
            this.clock.advance(Duration.ofMillis(2_100));
            monitor.poll();
        }

        assertThat(monitor.activeAlerts()).extracting(Alert::rule).contains("stuck-pending");
    }

    /**
     * Entries written in one burst share a millisecond (1000-0, 1000-1, ...). A consumer that finishes one of them
     * each second while keeping the rest in hand makes progress: its oldest pending entry changes every pass, though
     * its millisecond does not, and nothing is stuck.
     */
    @Test
    void aConsumerWorkingThroughEntriesOfOneMillisecondIsNotStuck() {
        String key = this.prefix + "burst";
        this.redis.xgroupCreate(XReadArgs.StreamOffset.from(key, "0"), "g", io.lettuce.core.XGroupCreateArgs.Builder.mkstream());
        List<String> ids = new java.util.ArrayList<>();
        for (int sequence = 0; sequence < 10; sequence++) {
            ids.add(this.redis.xadd(key, new io.lettuce.core.XAddArgs().id("1000-" + sequence), Map.of("payload", "e")));
        }
        readAs(key, "g", "worker-1", 10);
        StreamMonitor monitor = monitor(thresholds().withStuckPending(Duration.ofSeconds(3))
                .withMonitoringInterval(Duration.ofSeconds(1)).withHysteresis(1, 1));

        for (String id : ids.subList(0, 8)) {
            // One finished per pass; the rest refreshed as the binder does (XCLAIM ... JUSTID resets their idle time).
            this.redis.xack(key, "g", id);
            this.redis.xclaim(key, Consumer.from("g", "worker-1"), io.lettuce.core.XClaimArgs.Builder.justid(),
                    ids.subList(ids.indexOf(id) + 1, ids.size()).toArray(String[]::new));
            pass(monitor);
        }

        assertThat(monitor.activeAlerts()).extracting(Alert::rule).doesNotContain("stuck-pending");
    }

    /** Entry ids are Redis' milliseconds: a monitor whose own clock is an hour fast must not see an hour of lag. */
    @Test
    void timeLagIsMeasuredOnRedisClockNotTheMonitorHosts() {
        String key = this.prefix + "fast-clock";
        fiftyUnreadBy(key, "g");
        MutableClock anHourFast = new MutableClock(Instant.now().plus(Duration.ofHours(1)));
        SnapshotCollector collector = new SnapshotCollector(this.connection.async(), this.prefix, anHourFast,
                Duration.ofSeconds(10));

        MonitorSnapshot snapshot = collector.collect();

        assertThat(find(snapshot, key).groups()).singleElement()
                .satisfies(group -> assertThat(group.timeLagMs()).isBetween(0L, Duration.ofMinutes(10).toMillis()));
    }

    /**
     * A stream Redis would not describe (here an ACL refuses {@code XINFO} on it) fails the pass, naming it: left
     * out, the pass would read as one where the stream vanished, its totals dipping and its alerts resolving.
     */
    @Test
    void aStreamRedisWillNotDescribeFailsThePassInsteadOfVanishingFromIt() {
        fiftyUnreadBy(this.prefix + "readable", "g");
        fiftyUnreadBy(this.prefix + "hidden", "g");
        this.redis.aclSetuser("half-sighted", AclSetuserArgs.Builder.on().addPassword("secret")
                .keyPattern(this.prefix + "readable*").allCommands());
        try (StatefulRedisConnection<String, String> limited = this.client.connect(
                RedisURI.builder(RedisURI.create(redisServer.server().uri().toString()))
                        .withAuthentication("half-sighted", "secret").build())) {
            SnapshotCollector collector = new SnapshotCollector(limited.async(), this.prefix, this.clock,
                    Duration.ofSeconds(10));

            assertThatThrownBy(collector::collect).isInstanceOf(MonitorException.class)
                    .hasMessageContaining(this.prefix + "hidden").hasMessageContaining("NOPERM");
        }
        finally {
            this.redis.aclDeluser("half-sighted");
        }
    }

    /**
     * Consumers Redis would not list (here an ACL refuses {@code XINFO CONSUMERS}) fail the pass: taken for none, the
     * group would look as if every consumer had stopped, and raise consumer-stopped.
     */
    @Test
    void consumersRedisWillNotListFailThePassInsteadOfReadingAsNone() {
        String key = this.prefix + "consumers-hidden";
        oneOfFiveInHand(key, "g", "worker-1");
        this.redis.dispatch(io.lettuce.core.protocol.CommandType.ACL,
                new io.lettuce.core.output.StatusOutput<>(io.lettuce.core.codec.StringCodec.UTF8),
                new io.lettuce.core.protocol.CommandArgs<>(io.lettuce.core.codec.StringCodec.UTF8).add("SETUSER")
                        .add("no-consumers").add("on").add(">secret").add("~*").add("+@all").add("-xinfo|consumers"));
        try (StatefulRedisConnection<String, String> limited = this.client.connect(
                RedisURI.builder(RedisURI.create(redisServer.server().uri().toString()))
                        .withAuthentication("no-consumers", "secret").build())) {
            SnapshotCollector collector = new SnapshotCollector(limited.async(), this.prefix, this.clock,
                    Duration.ofSeconds(10));

            assertThatThrownBy(collector::collect).isInstanceOf(MonitorException.class)
                    .hasMessageContaining("the consumers of group 'g'").hasMessageContaining("NOPERM");
        }
        finally {
            this.redis.aclDeluser("no-consumers");
        }
    }

    /** Counters that could not be read are unknown, not zero: zeros followed by the totals would look like a burst. */
    @Test
    void countersThatCannotBeReadAreUnknownNotZero() {
        String key = this.prefix + "uncountable";
        fiftyUnreadBy(key, "g");
        this.redis.set(ProcessingCounts.key(key, "g"), "not a hash");
        StreamMonitor monitor = monitor(thresholds());

        MonitorSnapshot snapshot = pass(monitor);

        assertThat(find(snapshot, key).groups()).singleElement().satisfies(group -> assertThat(group.counters()).isNull());
        assertThat(monitor.history().series(MonitorHistory.groupSeries(key, "g", "failed")).latest().value()).isNull();
    }

    /** A pager that is down must neither keep the alert from the other listeners nor fail the monitoring pass. */
    @Test
    void aListenerThatThrowsNeitherSilencesTheOthersNorFailsThePass() {
        String key = this.prefix + "loud";
        fiftyUnreadBy(key, "slow");
        StreamMonitor monitor = monitor(thresholds().withLagThreshold(10).withHysteresis(1, 1));
        List<Alert> heard = new CopyOnWriteArrayList<>();
        monitor.onAlert(alert -> {
            throw new IllegalStateException("pager down");
        });
        monitor.onAlert(heard::add);

        pass(monitor);

        assertThat(heard).extracting(Alert::rule).contains("consumer-lag");
        assertThat(monitor.lastFailure()).isNull();
    }

    @Test
    void groupFallingBehindIsRecognised() {
        String key = this.prefix + "behind";
        this.redis.xgroupCreate(XReadArgs.StreamOffset.from(key, "0"), "tortoise", io.lettuce.core.XGroupCreateArgs.Builder.mkstream());
        StreamMonitor monitor = monitor(thresholds().withHysteresis(1, 1));
        for (int i = 0; i < 4; i++) {
            publish(key, 10);
            consume(key, "tortoise", "worker-1", 5);
            pass(monitor);
        }
        assertThat(monitor.activeAlerts()).extracting(Alert::rule).contains("lag-falling-behind");
    }

    @Test
    void stoppedAndIdleConsumersAreRecognisedFromRedisIdleTimes() {
        String key = this.prefix + "abandoned";
        oneOfFiveInHand(key, "gone", "worker-1");
        StreamMonitor monitor = monitor(thresholds().withHysteresis(1, 1)
                .withConsumerIdleThreshold(Duration.ofMillis(300)).withWindow(Duration.ofMillis(300)));

        // Idle times are Redis' own: poll until the consumer has been quiet for longer than the thresholds.
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            pass(monitor);
            List<String> rules = monitor.activeAlerts().stream().map(Alert::rule).toList();
            return rules.contains("consumer-stopped") && rules.contains("idle-consumer");
        });
        assertThat(monitor.activeAlerts()).filteredOn(alert -> alert.rule().equals("idle-consumer"))
                .extracting(Alert::consumer).containsExactly("worker-1");
    }

    @Test
    void deadLettersFromBeforeMonitoringBeganRaiseNoAlert() {
        publish(this.prefix + "old.g.dlq", 3);
        StreamMonitor monitor = monitor(thresholds().withHysteresis(1, 1));
        pass(monitor);
        pass(monitor);
        assertThat(monitor.activeAlerts()).extracting(Alert::rule).doesNotContain("dead-letter-growth");
        publish(this.prefix + "old.g.dlq", 1);
        pass(monitor);
        assertThat(monitor.activeAlerts()).extracting(Alert::rule).contains("dead-letter-growth");
    }

    /**
     * A longer poll interval shrinks the history to an hour's worth of points while the window grows: the dead
     * letters from before the points it kept are not taken for ones that just arrived.
     */
    @Test
    void aHistoryShrunkForALongerIntervalRaisesNoAlertForOldDeadLetters() {
        publish(this.prefix + "kept.g.dlq", 3);
        StreamMonitor monitor = monitor(thresholds().withHysteresis(1, 1));
        for (int i = 0; i < 20; i++) {
            pass(monitor);
        }

        monitor.history().resize(5);
        monitor.alerts().setThresholds(thresholds().withHysteresis(1, 1).withWindow(Duration.ofSeconds(60)));
        for (int i = 0; i < 10; i++) {
            // Each pass pushes an older point out of the shrunk history.
            pass(monitor);
        }

        assertThat(monitor.activeAlerts()).extracting(Alert::rule).doesNotContain("dead-letter-growth");
    }

    /** A replay shrinks the dead-letter stream (XDEL); letters that arrive in the same window still count. */
    @Test
    void deadLettersArrivingAfterAReplayAreStillNoticed() {
        String dlq = this.prefix + "replayed.g.dlq";
        List<String> ids = publish(dlq, 3);
        StreamMonitor monitor = monitor(thresholds().withHysteresis(1, 1));
        pass(monitor);
        this.redis.xdel(dlq, ids.get(0), ids.get(1));
        pass(monitor);

        publish(dlq, 1);
        pass(monitor);

        assertThat(monitor.activeAlerts()).extracting(Alert::rule).contains("dead-letter-growth");
    }

    @Test
    void rapidGrowthIsDetected() {
        String key = this.prefix + "flood";
        this.redis.xgroupCreate(XReadArgs.StreamOffset.from(key, "0"), "nobody-reads", io.lettuce.core.XGroupCreateArgs.Builder.mkstream());
        StreamMonitor monitor = monitor(thresholds().withHysteresis(1, 1).withGrowth(100, null));
        pass(monitor);
        publish(key, 500);
        pass(monitor);
        assertThat(monitor.activeAlerts()).extracting(Alert::rule).contains("stream-growth");
        assertThat(monitor.summary().inputPerSecond()).isGreaterThan(100);
    }

    /** Unknown is never zero: a group Redis cannot count the reads of is not a group that reads nothing. */
    @Test
    void aGroupWhoseReadsAreUncountedIsNotTakenForOneThatReadsNothing() {
        String key = this.prefix + "uncounted";
        this.redis.xgroupCreate(XReadArgs.StreamOffset.from(key, "0"), "g", io.lettuce.core.XGroupCreateArgs.Builder.mkstream());
        publish(key, 2);
        String first = this.redis.xrange(key, io.lettuce.core.Range.create("-", "+")).get(0).getId();
        // Moved past the first entry without ENTRIESREAD: Redis no longer knows how many entries the group has read.
        this.redis.xgroupSetid(XReadArgs.StreamOffset.from(key, first), "g");
        StreamMonitor monitor = monitor(thresholds().withHysteresis(1, 1).withGrowth(100, null));
        pass(monitor);
        publish(key, 500);
        pass(monitor);
        assertThat(monitor.summary().inputPerSecond()).isGreaterThan(100);
        assertThat(monitor.activeAlerts()).extracting(Alert::rule).doesNotContain("stream-growth");
    }

    /**
     * The summed rates say what they leave out: a stream or group that appeared since the last pass has no rate yet,
     * and is counted as unknown rather than silently taken for one with none.
     */
    @Test
    void theSummedRatesCountTheStreamsAndGroupsTheyLeaveOut() {
        String known = this.prefix + "known-rate";
        this.redis.xgroupCreate(XReadArgs.StreamOffset.from(known, "0"), "g", io.lettuce.core.XGroupCreateArgs.Builder.mkstream());
        // A group that has read nothing yet has no entries-read count; one read gives it one.
        publish(known, 1);
        readAs(known, "g", "c", 1);
        StreamMonitor monitor = monitor(thresholds());
        pass(monitor);
        publish(known, 10);
        readAs(known, "g", "c", 10);
        String fresh = this.prefix + "fresh";
        this.redis.xgroupCreate(XReadArgs.StreamOffset.from(fresh, "0"), "g", io.lettuce.core.XGroupCreateArgs.Builder.mkstream());
        this.redis.xgroupCreate(XReadArgs.StreamOffset.from(fresh, "0"), "h", io.lettuce.core.XGroupCreateArgs.Builder.mkstream());
        publish(fresh, 5);

        pass(monitor);

        MetricsSummary summary = monitor.summary();
        assertThat(summary.inputPerSecond()).isEqualTo(10.0);
        assertThat(summary.unknownInputStreams()).isEqualTo(1);
        assertThat(summary.outputPerSecond()).isEqualTo(10.0);
        assertThat(summary.unknownOutputGroups()).isEqualTo(2);
    }

    /**
     * A group whose unread entries come close to the stream's MAXLEN is about to lose some to trimming; a stream
     * as full whose group has read everything loses nothing, and raises nothing.
     */
    @Test
    void aGroupFarEnoughBehindToLoseEntriesToTrimmingRaisesTheHeadroomAlertAFullStreamDoesNot() {
        String behind = this.prefix + "behind";
        this.redis.xgroupCreate(XReadArgs.StreamOffset.from(behind, "0"), "slow", io.lettuce.core.XGroupCreateArgs.Builder.mkstream());
        publish(behind, 95);
        String caughtUp = this.prefix + "caught-up";
        this.redis.xgroupCreate(XReadArgs.StreamOffset.from(caughtUp, "0"), "quick", io.lettuce.core.XGroupCreateArgs.Builder.mkstream());
        publish(caughtUp, 95);
        readAs(caughtUp, "quick", "c", 95);
        StreamMonitor monitor = monitor(thresholds().withHysteresis(1, 1).withGrowth(1_000_000, 100L));

        pass(monitor);

        assertThat(monitor.activeAlerts()).filteredOn(alert -> alert.rule().equals("stream-growth")).singleElement()
                .satisfies(alert -> assertThat(alert.message()).contains("'slow' has 95 unread entries").contains("at most 100"));
    }

    @Test
    void aSwitchedOffRuleNeverFiresAndItsActiveAlertResolves() {
        String key = this.prefix + "switched";
        this.redis.xgroupCreate(XReadArgs.StreamOffset.from(key, "0"), "slow", io.lettuce.core.XGroupCreateArgs.Builder.mkstream());
        publish(key, 50);
        StreamMonitor monitor = monitor(thresholds().withLagThreshold(10).withHysteresis(1, 1));
        pass(monitor);
        assertThat(monitor.activeAlerts()).extracting(Alert::rule).contains("consumer-lag");

        monitor.alerts().setThresholds(thresholds().withLagThreshold(10).withHysteresis(1, 1)
                .withDisabledRules(java.util.Set.of("consumer-lag")));
        pass(monitor);
        assertThat(monitor.activeAlerts()).extracting(Alert::rule).doesNotContain("consumer-lag");
        pass(monitor);
        assertThat(monitor.activeAlerts()).extracting(Alert::rule).doesNotContain("consumer-lag");
    }

    @Test
    void lagThatRedisCannotTellIsUnknownAndRaisesNoFalseAlert() {
        String key = this.prefix + "trimmed";
        List<String> ids = publish(key, 10);
        this.redis.xgroupCreate(XReadArgs.StreamOffset.from(key, "0"), "g");
        consume(key, "g", "worker-1", 2);
        // Deleting an entry the group has not reached yet leaves a tombstone that Redis cannot count past.
        this.redis.xdel(key, ids.get(5));
        StreamMonitor monitor = monitor(thresholds().withLagThreshold(0).withHysteresis(1, 1));

        MonitorSnapshot snapshot = pass(monitor);

        GroupSnapshot group = find(snapshot, key).groups().get(0);
        assertThat(group.lag()).isNull();
        assertThat(snapshot.unknownLagGroups()).isEqualTo(1);
        assertThat(snapshot.totalLag()).isZero();
        assertThat(monitor.activeAlerts()).extracting(Alert::rule).doesNotContain("consumer-lag", "lag-falling-behind");
    }

    private void fiftyUnreadBy(String key, String group) {
        this.redis.xgroupCreate(XReadArgs.StreamOffset.from(key, "0"), group, io.lettuce.core.XGroupCreateArgs.Builder.mkstream());
        publish(key, 50);
    }

    /** Five entries in {@code key}, of which group {@code group} has handed one to {@code consumer}, unacknowledged. */
    private void oneOfFiveInHand(String key, String group, String consumer) {
        this.redis.xgroupCreate(XReadArgs.StreamOffset.from(key, "0"), group, io.lettuce.core.XGroupCreateArgs.Builder.mkstream());
        publish(key, 5);
        readAs(key, group, consumer, 1);
    }

    private MonitorSnapshot pass(StreamMonitor monitor) {
        this.clock.advance(Duration.ofSeconds(1));
        return monitor.poll();
    }

    /** The brief's defaults, with a 10 s window: each pass below moves the clock by one second. */
    private static AlertThresholds thresholds() {
        return AlertThresholds.defaults().withWindow(Duration.ofSeconds(10));
    }

    private StreamMonitor monitor(AlertThresholds thresholds) {
        return StreamMonitor.create(this.connection.async(), this.prefix, thresholds, 100, this.clock);
    }

    private List<String> publish(String key, int count) {
        List<String> ids = new java.util.ArrayList<>();
        for (int i = 0; i < count; i++) {
            ids.add(this.redis.xadd(key, Map.of("payload", "e" + i)));
        }
        return ids;
    }

    private void readAs(String key, String group, String consumer, int count) {
        this.redis.xreadgroup(Consumer.from(group, consumer), XReadArgs.Builder.count(count), XReadArgs.StreamOffset.lastConsumed(key));
    }

    private void consume(String key, String group, String consumer, int count) {
        List<StreamMessage<String, String>> read = this.redis.xreadgroup(Consumer.from(group, consumer),
                XReadArgs.Builder.count(count), XReadArgs.StreamOffset.lastConsumed(key));
        if (!read.isEmpty()) {
            this.redis.xack(key, group, read.stream().map(StreamMessage::getId).toArray(String[]::new));
        }
    }

    private static StreamSnapshot find(MonitorSnapshot snapshot, String key) {
        return snapshot.streams().stream().filter(stream -> stream.key().equals(key)).findFirst().orElseThrow();
    }
}
