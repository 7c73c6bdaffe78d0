package io.flextime.monitor.desktop;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import io.flextime.monitor.desktop.connection.ConfigFiles;
import io.flextime.monitor.desktop.connection.ConnectionProfiles;
import io.flextime.monitor.desktop.connection.ConnectionSettings;
import io.flextime.monitor.desktop.connection.LaunchOptions;
import io.flextime.monitor.desktop.connection.MonitorSession;
import io.flextime.monitor.desktop.viewmodel.MonitorViewModel;
import io.flextime.monitor.desktop.viewmodel.StreamDetailViewModel;
import io.flextime.monitor.desktop.viewmodel.StreamsViewModel;
import io.flextime.monitor.desktop.viewmodel.UiThread;
import io.flextime.streams.monitor.MonitorSnapshot;
import io.flextime.streams.monitor.alert.AlertThresholds;
import io.flextime.streams.testing.RedisServerExtension;
import io.flextime.streams.testing.TcpProxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The view models against a real Redis with real streams, groups and pending entries; no screen needed. */
class ViewModelTests {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    @RegisterExtension
    static final RedisServerExtension redisServer = new RedisServerExtension();

    @TempDir
    Path config;

    private SeededRedis seeded;

    private MonitorSession session;

    private MonitorViewModel model;

    @BeforeEach
    void start() {
        this.seeded = new SeededRedis(redisServer.server());
        this.seeded.seed();
        this.session = new MonitorSession(Clock.systemUTC(), AlertThresholds.defaults(), Duration.ofMillis(200));
        this.model = new MonitorViewModel(UiThread.direct(), this.session, new ConfigFiles(this.config), this.seeded.settings());
        this.model.connection().connect();
        await().atMost(TIMEOUT).until(() -> this.model.streams().visibleRows().size() == 3);
    }

    @AfterEach
    void stop() {
        this.session.close();
        this.seeded.close();
    }

    @Test
    void dashboardTilesAndChartsComeFromTheMonitor() {
        await().atMost(TIMEOUT).untilAsserted(() -> {
            assertThat(this.model.dashboard().streamsProperty().get()).isEqualTo("2");
            assertThat(this.model.dashboard().totalLengthProperty().get()).isEqualTo("40");
            assertThat(this.model.dashboard().totalLagProperty().get()).isEqualTo("20");
            assertThat(this.model.dashboard().totalPendingProperty().get()).isEqualTo("5");
            assertThat(this.model.dashboard().lengthsProperty().get()).extracting(line -> line.name())
                    .containsExactlyInAnyOrder("schedule-events", "game-events");
        });
        assertThat(this.model.dashboard().toCsv()).startsWith("chart,line,").contains("\"schedule-events\"");
        assertThat(this.model.connection().statusProperty().get()).startsWith("Connected to redis://");
    }

    @Test
    void aNewChartWindowIsDrawnAtOnceNotAtTheNextTick() {
        try (MonitorSession hourly = new MonitorSession(Clock.systemUTC(), AlertThresholds.defaults(), Duration.ofHours(1))) {
            MonitorViewModel slow = new MonitorViewModel(UiThread.direct(), hourly, new ConfigFiles(this.config),
                    this.seeded.settings());
            // After the view model applied the saved settings' interval.
            hourly.setInterval(Duration.ofHours(1));
            slow.connection().connect();
            await().atMost(TIMEOUT).until(() -> !slow.dashboard().lengthsProperty().get().isEmpty());
            List<MonitorSnapshot> handed = new CopyOnWriteArrayList<>();
            hourly.onSnapshot(handed::add);
            MonitorSnapshot last = hourly.monitor().latest();

            slow.dashboard().windowProperty().set(Duration.ofHours(1));

            // The next tick is an hour away: the views get the last pass again at once, to draw it for the new window...
            await().atMost(TIMEOUT).until(() -> !handed.isEmpty());
            // ...and not a new pass, which would count towards the alerts and put an unevenly spaced point in the history.
            assertThat(handed).allSatisfy(snapshot -> assertThat(snapshot).isSameAs(last));
        }
    }

    /** A view that fails while showing the status must not stop the polling with it. */
    @Test
    void aFailingStatusListenerDoesNotStopThePolling() {
        try (MonitorSession session = new MonitorSession(Clock.systemUTC(), AlertThresholds.defaults(),
                Duration.ofMillis(100))) {
            AtomicInteger passes = new AtomicInteger();
            session.onStatus(status -> {
                throw new IllegalStateException("a view's bug");
            });
            session.onSnapshot(snapshot -> passes.incrementAndGet());

            session.connect(this.seeded.settings());

            // The snapshot handed over when connecting, then passes.
            await().atMost(TIMEOUT).until(() -> passes.get() >= 3);
        }
    }

    /** Polling every hour, then every 200 ms: the next pass comes within the new interval, not an hour later. */
    @Test
    void aShorterIntervalTakesEffectAtOnce() {
        try (MonitorSession hourly = new MonitorSession(Clock.systemUTC(), AlertThresholds.defaults(), Duration.ofHours(1))) {
            AtomicInteger passes = new AtomicInteger();
            hourly.onSnapshot(snapshot -> passes.incrementAndGet());
            hourly.connect(this.seeded.settings()).join();
            int afterConnecting = passes.get();

            hourly.setInterval(Duration.ofMillis(200));

            await().atMost(TIMEOUT).until(() -> passes.get() > afterConnecting);
        }
    }

    @Test
    void aNewIntervalResizesTheHistoryToHoldAnHourAtOnce() {
        this.session.setInterval(Duration.ofMillis(500));

        // An hour at 500 ms plus the margin, without reconnecting; before, the charts' hour shrank to 15 min.
        await().atMost(TIMEOUT).until(() -> this.session.monitor().history().capacity() == 3_600_000 / 500 + 10);
    }

    @Test
    void streamsTableFiltersAndShowsLagAndPending() {
        StreamsViewModel streams = this.model.streams();
        assertThat(streams.visibleRows()).extracting(StreamsViewModel.StreamRow::name)
                .containsExactlyInAnyOrder("schedule-events", "game-events", "{schedule-events}.audit.dlq");
        streams.filterProperty().set("GAME");
        assertThat(streams.visibleRows()).singleElement().satisfies(row -> {
            assertThat(row.lag()).isEqualTo("10");
            assertThat(row.pending()).isZero();
        });
    }

    @Test
    void detailShowsGroupsConsumersPendingAndMessagesAndItsActionsWork() {
        StreamDetailViewModel detail = this.model.detail();
        String key = SeededRedis.PREFIX + "schedule-events";
        detail.select(key).join();
        await().atMost(TIMEOUT).until(() -> detail.pending().size() == 5);
        assertThat(detail.groups()).singleElement().satisfies(group -> {
            assertThat(group.pending()).isEqualTo(5);
            assertThat(group.lag()).isEqualTo("10");
        });
        assertThat(detail.consumers()).singleElement().satisfies(consumer -> assertThat(consumer.name()).isEqualTo("worker-1"));
        assertThat(detail.messages()).hasSize(30);
        assertThat(detail.messages().get(0).payload()).contains("\n").contains("\"eventType\" : \"schedule.created\"");

        StreamDetailViewModel.PendingRow first = detail.pending().get(0);
        assertThat(detail.describeAck(first)).contains(first.id()).contains("Nobody will process it again");
        detail.acknowledge(first).join();
        assertThat(detail.pending()).hasSize(4);

        StreamDetailViewModel.PendingRow second = detail.pending().get(0);
        detail.claim(second, "rescuer").join();
        assertThat(detail.pending()).filteredOn(row -> row.id().equals(second.id()))
                .singleElement().satisfies(row -> assertThat(row.consumer()).isEqualTo("rescuer"));

        StreamDetailViewModel.ConsumerRow worker = new StreamDetailViewModel.ConsumerRow("audit", "worker-1", 3, 0, null);
        assertThat(detail.describeDeleteConsumer(worker)).contains("will not be deleted");
        assertThat(detail.deleteConsumer(worker).join()).startsWith("Not deleted");
        assertThat(this.seeded.redis().xinfoConsumers(key, "audit")).hasSize(2);

        assertThat(detail.describeReset("audit", "0")).contains("the start");
        detail.resetGroup("audit", "$").join();
        assertThat(this.seeded.redis().xinfoGroups(key).get(0).toString()).contains(this.seeded.redis().xinfoStream(key).get(
                this.seeded.redis().xinfoStream(key).indexOf("last-generated-id") + 1).toString());

        assertThat(detail.describeTrim(10)).contains("newest 10 entries");
        assertThat(detail.trim(10).join()).startsWith("Removed 20");
        assertThat(this.seeded.redis().xlen(key)).isEqualTo(10);
    }

    @Test
    void deadLettersAreReplayedToTheirStream() {
        StreamDetailViewModel detail = this.model.detail();
        detail.select("{" + SeededRedis.PREFIX + "schedule-events}.audit.dlq").join();
        assertThat(detail.isDeadLetterStream()).isTrue();
        assertThat(detail.replayDeadLetters().join()).isEqualTo("Replayed 1 dead letters");
        assertThat(this.seeded.redis().xlen(SeededRedis.PREFIX + "schedule-events")).isEqualTo(31);
    }

    @Test
    void alertsAppearAndResolveAndACriticalOneRaisesTheBanner() {
        this.model.settings().lagThresholdProperty().set(5);
        this.model.settings().fireAfterProperty().set(1);
        this.model.settings().resolveAfterProperty().set(1);
        this.model.settings().intervalMsProperty().set(200);
        this.model.settings().apply();
        await().atMost(TIMEOUT).until(() -> this.model.alerts().active().stream().anyMatch(alert -> alert.rule().equals("consumer-lag")));

        this.seeded.redis().xgroupSetid(io.lettuce.core.XReadArgs.StreamOffset.from(SeededRedis.PREFIX + "game-events", "$"), "notifications");
        this.seeded.redis().xgroupSetid(io.lettuce.core.XReadArgs.StreamOffset.from(SeededRedis.PREFIX + "schedule-events", "$"), "audit");
        await().atMost(TIMEOUT).until(() -> this.model.alerts().active().stream().noneMatch(alert -> alert.rule().equals("consumer-lag")));
        assertThat(this.model.alerts().history()).anySatisfy(alert -> {
            assertThat(alert.rule()).isEqualTo("consumer-lag");
            assertThat(alert.resolvedAt()).isNotNull();
        });

        this.model.alerts().onAlert(new io.flextime.streams.monitor.alert.Alert("error-rate", io.flextime.streams.monitor.alert.Severity.CRITICAL,
                "s", "g", null, 0.5, 0.05, "half failing", java.time.Instant.now(), null));
        assertThat(this.model.alerts().bannerProperty().get()).contains("CRITICAL error-rate");
    }

    @Test
    void settingsAndProfilesAreSavedAndPasswordsOnlyWhenAsked() {
        this.model.settings().lagThresholdProperty().set(42);
        assertThat(this.model.settings().rules()).hasSize(9).containsKey("consumer-lag");
        this.model.settings().rules().get("idle-consumer").set(false);
        this.model.settings().apply();
        assertThat(this.session.thresholds().lagThreshold()).isEqualTo(42);
        assertThat(this.session.thresholds().disabledRules()).containsExactly("idle-consumer");
        try (MonitorSession other = new MonitorSession(Clock.systemUTC(), AlertThresholds.defaults(), Duration.ofSeconds(1))) {
            MonitorViewModel reopened = new MonitorViewModel(UiThread.direct(), other, new ConfigFiles(this.config),
                    this.seeded.settings());
            assertThat(reopened.settings().lagThresholdProperty().get()).isEqualTo(42);
            assertThat(reopened.settings().rules().get("idle-consumer").get()).isFalse();
            assertThat(reopened.settings().rules().get("consumer-lag").get()).isTrue();
        }

        // An error rate is a fraction: 5 (0.05 misread as 5 in some locales) could never fire, and is refused.
        this.model.settings().errorRateThresholdProperty().set(5);
        org.assertj.core.api.Assertions.assertThatIllegalArgumentException().isThrownBy(() -> this.model.settings().apply())
                .withMessageContaining("error rate a fraction between 0 and 1");
        this.model.settings().revert();

        // A cancelled dialog changes nothing: the fields go back to what is saved and in use.
        this.model.settings().lagThresholdProperty().set(7);
        this.model.settings().revert();
        assertThat(this.model.settings().lagThresholdProperty().get()).isEqualTo(42);
        String host = this.model.connection().hostProperty().get();
        this.model.connection().hostProperty().set("typo.example");
        this.model.connection().revert();
        assertThat(this.model.connection().hostProperty().get()).isEqualTo(host);

        ConnectionProfiles profiles = new ConnectionProfiles(new ConfigFiles(this.config));
        ConnectionSettings secret = ConnectionSettings.single("redis.prod", 6380, "ops", "s3cret", 1, true, "flextime:stream:");
        profiles.save("prod", secret, false);
        profiles.save("prod-remembered", secret, true);
        assertThat(profiles.load()).filteredOn(profile -> profile.name().equals("prod")).singleElement()
                .satisfies(profile -> assertThat(profile.settings().password()).isNull());
        assertThat(profiles.load()).filteredOn(profile -> profile.name().equals("prod-remembered")).singleElement()
                .satisfies(profile -> assertThat(profile.settings().password()).isEqualTo("s3cret"));
        assertThat(secret.toString()).doesNotContain("s3cret");
        this.model.connection().deleteProfile(profiles.load().get(0));
        assertThat(profiles.load()).hasSize(1);
    }

    @Test
    void anUnreadableSettingsFileIsKeptAsideAndTheDefaultsApply() throws Exception {
        java.nio.file.Files.writeString(this.config.resolve("settings.json"), "{ not json");
        try (MonitorSession other = new MonitorSession(Clock.systemUTC(), AlertThresholds.defaults(), Duration.ofSeconds(1))) {
            MonitorViewModel reopened = new MonitorViewModel(UiThread.direct(), other, new ConfigFiles(this.config),
                    this.seeded.settings());
            assertThat(reopened.settings().lagThresholdProperty().get()).isEqualTo(AlertThresholds.defaults().lagThreshold());
        }
        assertThat(this.config.resolve("settings.json.unreadable")).hasContent("{ not json");
    }

    /** Hand edits that parse but cannot be used: an interval of 0 (Redis polled in a tight loop), null entries. */
    @Test
    void settingsAndProfilesOutOfRangeOrNullAreKeptAsideAndTheDefaultsApply() throws Exception {
        java.nio.file.Files.writeString(this.config.resolve("settings.json"), "{\"lagThreshold\": 1000, "
                + "\"errorRateThreshold\": 0.05, \"consumerIdleMs\": 60000, \"stuckPendingMs\": 60000, "
                + "\"intervalMs\": 0, \"fireAfter\": 1, \"resolveAfter\": 1, \"disabledRules\": []}");
        java.nio.file.Files.writeString(this.config.resolve("profiles.json"), "[null]");
        try (MonitorSession other = new MonitorSession(Clock.systemUTC(), AlertThresholds.defaults(), Duration.ofSeconds(1))) {
            MonitorViewModel reopened = new MonitorViewModel(UiThread.direct(), other, new ConfigFiles(this.config),
                    this.seeded.settings());
            assertThat(reopened.settings().intervalMsProperty().get()).isEqualTo(2_000);
            assertThat(new ConnectionProfiles(new ConfigFiles(this.config)).load()).isEmpty();
        }
        assertThat(this.config.resolve("settings.json.unreadable")).exists();
        assertThat(this.config.resolve("profiles.json.unreadable")).hasContent("[null]");
        java.nio.file.Files.writeString(this.config.resolve("settings.json"), "null");
        io.flextime.monitor.desktop.viewmodel.SettingsViewModel.AlertSettings fallback =
                new io.flextime.monitor.desktop.viewmodel.SettingsViewModel.AlertSettings(1, 0, 0, 0, 500, 1, 1, java.util.List.of());
        assertThat(new ConfigFiles(this.config).read("settings.json",
                io.flextime.monitor.desktop.viewmodel.SettingsViewModel.AlertSettings.class, fallback, settings -> true))
                .isSameAs(fallback);
    }

    @Test
    void launchOptionsTakeTheBriefsVariablesAndFlagsOverrideThem() {
        ConnectionSettings fromEnvironment = LaunchOptions.parse(new String[0], Map.of("REDIS_STREAMS_HOST", "redis.local",
                "REDIS_STREAMS_PORT", "6390", "REDIS_STREAMS_DB", "2", "REDIS_STREAMS_PREFIX", "x:"));
        assertThat(fromEnvironment).isEqualTo(ConnectionSettings.single("redis.local", 6390, null, null, 2, false, "x:"));
        ConnectionSettings overridden = LaunchOptions.parse(new String[] { "--host=other", "--tls", "--username=ops" },
                Map.of("REDIS_STREAMS_HOST", "redis.local"));
        assertThat(overridden.host()).isEqualTo("other");
        assertThat(overridden.tls()).isTrue();
        assertThat(overridden.username()).isEqualTo("ops");
        org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
                .isThrownBy(() -> LaunchOptions.parse(new String[] { "--hots=other" }, Map.of()))
                .withMessageContaining("Unknown flag '--hots'");
    }

    @Test
    void anUnreachableRedisIsReportedAndRetriedWithoutBlocking() {
        MonitorSession lost = new MonitorSession(Clock.systemUTC(), AlertThresholds.defaults(), Duration.ofMillis(200));
        MonitorViewModel offline = new MonitorViewModel(UiThread.direct(), lost, new ConfigFiles(this.config),
                ConnectionSettings.single("127.0.0.1", 1, null, null, 0, false, "x:"));
        try (lost) {
            offline.connection().connect();
            await().atMost(TIMEOUT).until(() -> offline.connection().statusProperty().get().startsWith("Failed: "));
            assertThat(offline.connection().stateProperty().get()).isEqualTo(MonitorSession.State.FAILED);
        }
    }

    /** Another server's streams must not stay on screen under the new one, even while it cannot be reached. */
    @Test
    void connectingElsewhereClearsWhatTheLastServerShowed() {
        assertThat(this.model.streams().visibleRows()).hasSize(3);
        this.model.detail().select("flextime:stream:schedule-events").join();
        assertThat(this.model.detail().messages()).isNotEmpty();
        this.model.alerts().onAlert(new io.flextime.streams.monitor.alert.Alert("consumer-stopped",
                io.flextime.streams.monitor.alert.Severity.CRITICAL, "s", "g", null, 1, 0, "stopped", java.time.Instant.now(), null));
        assertThat(this.model.alerts().bannerProperty().get()).isNotEmpty();

        this.model.connection().hostProperty().set("127.0.0.1");
        this.model.connection().portProperty().set(1);
        this.model.connection().connect();

        await().atMost(TIMEOUT).until(() -> this.model.connection().stateProperty().get() == MonitorSession.State.FAILED);
        assertThat(this.model.streams().visibleRows()).isEmpty();
        assertThat(this.model.dashboard().streamsProperty().get()).isEqualTo("0");
        assertThat(this.model.detail().messages()).isEmpty();
        assertThat(this.model.detail().pending()).isEmpty();
        // The last server's critical banner does not stand over the new one.
        assertThat(this.model.alerts().bannerProperty().get()).isEmpty();
    }

    /** Another stream's rows go the moment it is selected, before its own have loaded: none is acted on under it. */
    @Test
    void selectingAnotherStreamDropsTheLastOnesRowsAtOnce() {
        StreamDetailViewModel detail = this.model.detail();
        detail.select(SeededRedis.PREFIX + "schedule-events").join();
        await().atMost(TIMEOUT).until(() -> detail.pending().size() == 5);

        CompletableFuture<Void> loading = detail.select(SeededRedis.PREFIX + "game-events");

        assertThat(detail.pending()).isEmpty();
        assertThat(detail.messages()).isEmpty();
        loading.join();
        assertThat(detail.messages()).isNotEmpty().allSatisfy(row -> assertThat(row.payload()).doesNotContain("schedule."));
    }

    @Test
    void aLostConnectionShowsReconnectingWithTheReasonAndRecovers() {
        try (TcpProxy proxy = TcpProxy.to(redisServer.server().host(), redisServer.server().port());
                MonitorSession session = new MonitorSession(Clock.systemUTC(), AlertThresholds.defaults(), Duration.ofMillis(200))) {
            ConnectionSettings settings = this.seeded.settings();
            MonitorViewModel viaProxy = new MonitorViewModel(UiThread.direct(), session, new ConfigFiles(this.config),
                    ConnectionSettings.single("127.0.0.1", proxy.port(), null, null, 0, false, settings.prefix()));
            viaProxy.connection().connect();
            await().atMost(TIMEOUT).until(() -> viaProxy.connection().stateProperty().get() == MonitorSession.State.CONNECTED);

            proxy.cut();
            await().atMost(TIMEOUT).until(() -> viaProxy.connection().stateProperty().get() == MonitorSession.State.RECONNECTING);
            assertThat(viaProxy.connection().statusProperty().get()).startsWith("Reconnecting").hasSizeGreaterThan(20)
                    .contains("the figures shown are from ");

            proxy.restore();
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> viaProxy.connection().stateProperty().get() == MonitorSession.State.CONNECTED);
            assertThat(viaProxy.streams().visibleRows()).hasSize(3);
        }
    }
}
