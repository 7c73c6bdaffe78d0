package io.flextime.streams.binder.faults;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.cloud.stream.function.StreamBridge;
import org.springframework.context.ConfigurableApplicationContext;

import io.flextime.streams.binder.app.Order;
import io.flextime.streams.testing.RedisServer;
import io.flextime.streams.testing.RedisServerOptions;
import io.flextime.streams.testing.TcpProxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.awaitility.Awaitility.await;

/**
 * At-least-once under failure, each against a Redis this test owns: every message whose {@code XADD} Redis
 * acknowledged is handled at least once. Duplicates are counted and printed, not asserted: at-least-once
 * allows them.
 */
@ExtendWith(OutputCaptureExtension.class)
class DeliveryUnderFaultsTests {

    private static final Duration TIMEOUT = Duration.ofSeconds(90);

    private RedisServer redis;

    private String prefix;

    private final List<ConfigurableApplicationContext> apps = new ArrayList<>();

    private final List<Process> processes = new ArrayList<>();

    void startRedis(RedisServerOptions options) {
        this.redis = RedisServer.start(options);
        assumeTrue(this.redis.supportsFaults(), this.redis.faultsUnsupportedReason());
        this.prefix = "faults-" + UUID.randomUUID() + ":";
    }

    @BeforeEach
    void defaultRedis() {
        startRedis(RedisServerOptions.defaults());
    }

    @AfterEach
    void stopAll() {
        this.processes.forEach(Process::destroyForcibly);
        this.apps.forEach(ConfigurableApplicationContext::close);
        if (this.redis != null) {
            this.redis.close();
        }
    }

    @Test
    void survivorClaimsWhatAKilledConsumerProcessLeftAndFinishesEverything() throws Exception {
        int total = 20_000;
        assertThat(Publisher.publish(url(), key(), 0, total)).isEqualTo(total);
        try (Ledger ledger = new Ledger(url(), ledgerKey())) {
            Process doomed = startConsumerProcess("doomed");
            await().atMost(TIMEOUT).until(() -> ledger.handledBy("doomed") >= 1_000);
            Process survivor = startConsumerProcess("survivor");
            await().atMost(TIMEOUT).until(() -> ledger.handledBy("survivor") >= 100);

            doomed.destroyForcibly();
            doomed.waitFor();

            await().atMost(TIMEOUT).until(() -> ledger.distinct() == total);
            System.out.println("killed-consumer test: " + total + " published, " + ledger.distinct() + " handled, "
                    + ledger.duplicates() + " duplicates, per consumer " + ledger.byConsumer());
            assertThat(survivor.isAlive()).isTrue();
        }
    }

    @Test
    void acknowledgedSendsSurviveARedisKillWithFsyncAlwaysAndConsumersResumeByThemselves() {
        this.redis.close();
        startRedis(RedisServerOptions.defaults().appendOnlyFsyncAlways());
        try (Ledger ledger = new Ledger(url(), ledgerKey())) {
            ConfigurableApplicationContext app = startConsumer("steady", url(),
                    "--spring.cloud.stream.redis.bindings.orders-out.producer.sync=true");
            StreamBridge bridge = app.getBean(StreamBridge.class);
            Set<String> acknowledged = ConcurrentHashMap.newKeySet();
            AtomicInteger failedSends = new AtomicInteger();
            AtomicBoolean done = new AtomicBoolean();
            Thread producer = new Thread(() -> {
                for (int i = 0; i < 3_000; i++) {
                    try {
                        bridge.send("orders-out", new Order("o-" + i, "kansas", i, 100));
                        acknowledged.add("o-" + i);
                    }
                    catch (RuntimeException ex) {
                        failedSends.incrementAndGet();
                    }
                }
                done.set(true);
            }, "sync-producer");
            producer.start();
            await().atMost(TIMEOUT).until(() -> acknowledged.size() >= 1_000);

            this.redis.kill();
            this.redis.restart();

            await().atMost(TIMEOUT).until(done::get);
            await().atMost(TIMEOUT).until(() -> ledger.handledIds().containsAll(acknowledged));
            System.out.println("redis-restart test: " + acknowledged.size() + " acknowledged sends, " + failedSends
                    + " failed while Redis was down, " + ledger.duplicates() + " duplicates");
        }
    }

    @Test
    void processingResumesAfterEveryConnectionIsCutAndNothingIsLost(CapturedOutput output) {
        try (TcpProxy proxy = TcpProxy.to(this.redis.host(), this.redis.port());
                Ledger ledger = new Ledger(url(), ledgerKey())) {
            startConsumer("behind-proxy", "redis://127.0.0.1:" + proxy.port(), "--counting.work-micros=200");
            int total = 5_000;
            assertThat(Publisher.publish(url(), key(), 0, total / 2)).isEqualTo(total / 2);
            await().atMost(TIMEOUT).until(() -> ledger.distinct() >= 500);

            proxy.cut();
            await().atMost(TIMEOUT).until(() -> output.getAll().contains("cannot read from Redis at"));
            assertThat(Publisher.publish(url(), key(), total / 2, total)).isEqualTo(total / 2);
            proxy.restore();

            await().atMost(TIMEOUT).until(() -> ledger.distinct() == total);
            System.out.println("connection-cut test: " + total + " published, " + ledger.distinct() + " handled, "
                    + ledger.duplicates() + " duplicates");
        }
    }

    @Test
    void gracefulStopMidStreamThenRestartLosesNothing() {
        int total = 3_000;
        assertThat(Publisher.publish(url(), key(), 0, total)).isEqualTo(total);
        try (Ledger ledger = new Ledger(url(), ledgerKey())) {
            ConfigurableApplicationContext first = startConsumer("graceful", url(), "--counting.work-micros=500");
            await().atMost(TIMEOUT).until(() -> ledger.distinct() >= 500);
            first.close();
            long handledBeforeRestart = ledger.distinct();
            assertThat(handledBeforeRestart).isLessThan(total);

            startConsumer("graceful", url(), "--counting.work-micros=0");

            await().atMost(TIMEOUT).until(() -> ledger.distinct() == total);
            System.out.println("graceful-stop test: stopped after " + handledBeforeRestart + ", " + ledger.distinct()
                    + " handled in all, " + ledger.duplicates() + " duplicates");
        }
    }

    private ConfigurableApplicationContext startConsumer(String name, String binderUrl, String... extra) {
        List<String> args = new ArrayList<>(consumerArgs(name, binderUrl));
        args.addAll(List.of(extra));
        ConfigurableApplicationContext app = new SpringApplicationBuilder(CountingSinkApp.class)
                .web(WebApplicationType.NONE)
                .properties("spring.config.name=counting")
                .run(args.toArray(new String[0]));
        this.apps.add(app);
        return app;
    }

    private Process startConsumerProcess(String name) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                CountingSinkApp.class.getName()));
        command.addAll(consumerArgs(name, url()));
        command.add("--counting.work-micros=200");
        File log = Files.createTempFile("consumer-" + name + "-", ".log").toFile();
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log).start();
        this.processes.add(process);
        return process;
    }

    private List<String> consumerArgs(String name, String binderUrl) {
        return List.of("--spring.cloud.stream.redis.binder.url=" + binderUrl,
                "--spring.cloud.stream.redis.binder.prefix=" + this.prefix,
                "--spring.cloud.stream.redis.default.consumer.consumer-name=" + name,
                "--counting.ledger-url=" + url(), "--counting.ledger=" + ledgerKey(), "--counting.name=" + name,
                "--spring.jmx.enabled=false");
    }

    private String url() {
        return this.redis.uri().toString();
    }

    private String key() {
        return this.prefix + "orders";
    }

    private String ledgerKey() {
        return this.prefix + "ledger";
    }
}
