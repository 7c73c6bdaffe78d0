package io.flextime.monitor.desktop;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.flextime.monitor.desktop.connection.ConnectionSettings;
import io.flextime.monitor.desktop.connection.ConnectionSettings.TlsFiles;
import io.flextime.monitor.desktop.connection.ConnectionSettings.Topology;
import io.flextime.monitor.desktop.connection.LaunchOptions;
import io.flextime.monitor.desktop.connection.MonitorSession;
import io.flextime.streams.monitor.MonitorSnapshot;
import io.flextime.streams.monitor.StreamSnapshot;
import io.flextime.streams.monitor.alert.AlertThresholds;
import io.flextime.streams.testing.RedisCluster;
import io.flextime.streams.testing.RedisSentinels;
import io.flextime.streams.testing.RedisServer;
import io.flextime.streams.testing.RedisServerOptions;
import io.flextime.streams.testing.TestCertificates;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.awaitility.Awaitility.await;

/** The desktop's connection to a Redis Cluster, to a master behind Sentinel, and over mutual TLS. */
class TopologyConnectionTests {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private static final String PREFIX = "desk:";

    private final MonitorSession session = new MonitorSession(Clock.systemUTC(), AlertThresholds.defaults(),
            Duration.ofMillis(200));

    private final AtomicReference<MonitorSnapshot> latest = new AtomicReference<>();

    private final AtomicReference<MonitorSession.Status> status = new AtomicReference<>();

    @AfterEach
    void close() {
        this.session.close();
    }

    @Test
    void aClusterIsScannedOnEveryMaster() {
        try (RedisCluster cluster = RedisCluster.start(3, 0)) {
            RedisClusterClient client = RedisClusterClient.create(
                    cluster.nodes().stream().map(node -> RedisURI.create("redis://" + node)).toList());
            try (StatefulRedisClusterConnection<String, String> redis = client.connect()) {
                List<String> names = List.of("a", "b", "c", "d", "e", "f");
                names.forEach(name -> redis.sync().xadd(PREFIX + name, Map.of("payload", name)));
                redis.sync().xadd("{" + PREFIX + "a}.g.dlq", Map.of("payload", "dead"));

                watch(new ConnectionSettings("ignored", 0, null, null, 0, false, PREFIX, Topology.CLUSTER,
                        String.join(",", cluster.nodes()), null, null));

                await().atMost(TIMEOUT).untilAsserted(() -> assertThat(streamNames())
                        .containsExactlyInAnyOrder("a", "b", "c", "d", "e", "f", "{a}.g.dlq"));
                assertThat(this.status.get().detail()).startsWith("cluster redis://127.0.0.1:");
            }
            finally {
                client.shutdown();
            }
        }
    }

    @Test
    void aSentinelMasterIsFoundThroughTheSentinels() {
        try (RedisSentinels sentinels = RedisSentinels.start()) {
            RedisClient client = RedisClient.create("redis://127.0.0.1:" + sentinels.masterPort());
            try (StatefulRedisConnection<String, String> redis = client.connect()) {
                redis.sync().xadd(PREFIX + "orders", Map.of("payload", "1"));

                watch(new ConnectionSettings("ignored", 0, null, null, 0, false, PREFIX, Topology.SENTINEL,
                        String.join(",", sentinels.sentinelNodes()), RedisSentinels.MASTER_NAME, null));

                await().atMost(TIMEOUT).untilAsserted(() -> assertThat(streamNames()).containsExactly("orders"));
            }
            finally {
                client.shutdown();
            }
        }
    }

    @Test
    void mutualTlsNeedsTheCaAndTheClientCertificate() {
        try (TestCertificates certificates = TestCertificates.generate();
                RedisServer redis = RedisServer.startProcess(RedisServerOptions.defaults().tls(certificates, true))) {
            ConnectionSettings withoutClientCertificate = new ConnectionSettings("127.0.0.1", redis.port(), null, null, 0,
                    true, PREFIX, Topology.SINGLE, null, null, new TlsFiles(certificates.caCertificate().toString(), null, null));
            watch(withoutClientCertificate);
            await().atMost(TIMEOUT).until(() -> this.status.get() != null
                    && this.status.get().state() == MonitorSession.State.FAILED);

            this.session.connect(new ConnectionSettings("127.0.0.1", redis.port(), null, null, 0, true, PREFIX,
                    Topology.SINGLE, null, null, new TlsFiles(certificates.caCertificate().toString(),
                            certificates.clientCertificate().toString(), certificates.clientKey().toString())));

            await().atMost(TIMEOUT).until(() -> this.status.get().state() == MonitorSession.State.CONNECTED
                    && this.latest.get() != null);
            assertThat(this.status.get().detail()).startsWith("rediss://127.0.0.1:" + redis.port());
            assertThat(this.latest.get().streams()).isEmpty();
        }
    }

    @Test
    void launchFlagsSelectTheTopologyAndTlsFiles() {
        ConnectionSettings cluster = LaunchOptions.parse(new String[] { "--cluster-nodes=r1:7000,r2:7001", "--tls-ca=/ca.pem" },
                Map.of());
        assertThat(cluster.topology()).isEqualTo(Topology.CLUSTER);
        assertThat(cluster.nodeList()).containsExactly("r1:7000", "r2:7001");
        assertThat(cluster.database()).isZero();
        assertThat(cluster.tls()).isTrue();
        assertThat(cluster.tlsFiles()).isEqualTo(new TlsFiles("/ca.pem", null, null));

        ConnectionSettings sentinel = LaunchOptions.parse(new String[] { "--sentinel-nodes=s1:26379" },
                Map.of("REDIS_STREAMS_SENTINEL_MASTER", "flextime"));
        assertThat(sentinel.topology()).isEqualTo(Topology.SENTINEL);
        assertThat(sentinel.sentinelMaster()).isEqualTo("flextime");
        assertThat(sentinel.describe()).startsWith("sentinel master 'flextime' redis://s1:26379/");

        assertThatIllegalArgumentException().isThrownBy(() -> LaunchOptions.parse(
                new String[] { "--cluster-nodes=r1:7000", "--sentinel-master=flextime" }, Map.of()))
                .withMessageContaining("either");
        assertThatIllegalArgumentException().isThrownBy(() -> LaunchOptions.parse(
                new String[] { "--sentinel-nodes=s1:26379" }, Map.of())).withMessageContaining("--sentinel-master");
    }

    private void watch(ConnectionSettings settings) {
        this.session.onSnapshot(this.latest::set);
        this.session.onStatus(this.status::set);
        this.session.connect(settings);
    }

    private List<String> streamNames() {
        MonitorSnapshot snapshot = this.latest.get();
        return snapshot == null ? List.of() : snapshot.streams().stream().map(StreamSnapshot::name).toList();
    }
}
