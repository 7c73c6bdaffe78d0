package io.flextime.streams.binder.topology;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SslOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.cloud.stream.function.StreamBridge;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.data.redis.RedisConnectionFailureException;

import io.flextime.streams.binder.connection.LettuceConnectionFactories;
import io.flextime.streams.binder.connection.RedisStreamsConnector;
import io.flextime.streams.binder.properties.RedisBinderConfigurationProperties;
import io.flextime.streams.binder.topology.TopologyApp.HandledOrders;
import io.flextime.streams.binder.topology.TopologyApp.Order;
import io.flextime.streams.monitor.SnapshotCollector;
import io.flextime.streams.monitor.TextConnection;
import io.flextime.streams.testing.RedisServer;
import io.flextime.streams.testing.RedisServerOptions;
import io.flextime.streams.testing.TestCertificates;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The binder and the monitoring core over TLS, against a {@code redis-server} that serves only TLS and requires
 * a client certificate signed by a CA made for this test. The binder takes its trust store and client
 * certificate from a Spring Boot SSL bundle ({@code spring.ssl.bundle.pem.redis}).
 */
class TlsApplicationTests {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private static TestCertificates certificates;

    private static RedisServer redis;

    @BeforeAll
    static void startTlsRedis() {
        certificates = TestCertificates.generate();
        redis = RedisServer.startProcess(RedisServerOptions.defaults().tls(certificates, true));
        RedisClient client = tlsClient(null);
        try (StatefulRedisConnection<String, String> admin = client.connect()) {
            admin.sync().dispatch(CommandType.ACL, new StatusOutput<>(StringCodec.UTF8), new CommandArgs<>(StringCodec.UTF8)
                    .addValues("SETUSER", "flextime", "on", ">tls-secret", "~*", "&*", "+@all"));
        }
        finally {
            client.shutdown();
        }
    }

    @AfterAll
    static void stopTlsRedis() {
        redis.close();
        certificates.close();
    }

    @Test
    void theBinderPublishesAndConsumesOverMutualTlsAsAnAclUserAndTheMonitorSeesTheStream() {
        try (ConfigurableApplicationContext app = start("rediss://flextime:tls-secret@127.0.0.1:" + redis.port(),
                "--spring.cloud.stream.redis.binder.ssl-bundle=redis",
                "--spring.ssl.bundle.pem.redis.truststore.certificate=file:" + certificates.caCertificate(),
                "--spring.ssl.bundle.pem.redis.keystore.certificate=file:" + certificates.clientCertificate(),
                "--spring.ssl.bundle.pem.redis.keystore.private-key=file:" + certificates.clientKey())) {
            StreamBridge bridge = app.getBean(StreamBridge.class);
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                bridge.send("orders-out", new Order("order-" + i, "c"));
                ids.add("order-" + i);
            }
            await().atMost(TIMEOUT).until(() -> app.getBean(HandledOrders.class).containsAll(ids));

            RedisClient client = tlsClient("flextime");
            try (TextConnection connection = TextConnection.open(client)) {
                SnapshotCollector collector = new SnapshotCollector(connection.async(), "topology:", Clock.systemUTC(),
                        Duration.ofSeconds(10));
                assertThat(collector.collect().streams()).singleElement().satisfies(stream -> {
                    assertThat(stream.name()).isEqualTo("orders");
                    assertThat(stream.length()).isEqualTo(50);
                });
            }
            finally {
                client.shutdown();
            }
            RedisClient asUser = tlsClient("flextime");
            try (StatefulRedisConnection<String, String> connection = asUser.connect()) {
                assertThat(connection.sync().clientList().lines().filter(line -> line.contains(" name=scst-redis-binder ")))
                        .as("the binder's connections, all the ACL user's").isNotEmpty()
                        .allSatisfy(line -> assertThat(line).contains(" user=flextime "));
            }
            finally {
                asUser.shutdown();
            }
        }
    }

    @Test
    void aServerThatDoesNotAskForAClientCertificateNeedsOnlyTheCa() {
        try (RedisServer serverOnly = RedisServer.startProcess(RedisServerOptions.defaults().tls(certificates, false));
                ConfigurableApplicationContext app = start("rediss://127.0.0.1:" + serverOnly.port(),
                        "--spring.cloud.stream.redis.binder.ssl-bundle=ca",
                        "--spring.ssl.bundle.pem.ca.truststore.certificate=file:" + certificates.caCertificate())) {
            app.getBean(StreamBridge.class).send("orders-out", new Order("one-way", "c"));
            await().atMost(TIMEOUT).until(() -> app.getBean(HandledOrders.class).containsAll(List.of("one-way")));
        }
    }

    /** A client over mutual TLS, as the default user or as {@code user}. */
    private static RedisClient tlsClient(String user) {
        RedisURI.Builder uri = RedisURI.builder().withHost("127.0.0.1").withPort(redis.port()).withSsl(true);
        if (user != null) {
            uri.withAuthentication(user, "tls-secret".toCharArray());
        }
        RedisClient client = RedisClient.create(uri.build());
        client.setOptions(ClientOptions.builder().sslOptions(SslOptions.builder()
                .trustManager(certificates.caCertificate().toFile())
                .keyManager(certificates.clientCertificate().toFile(), certificates.clientKey().toFile(), null)
                .build()).build());
        return client;
    }

    @Test
    void aPlainTextConnectionToTheTlsPortFailsWithAClearError() {
        assertThatThrownBy(() -> openShared("redis://127.0.0.1:" + redis.port(), null))
                .isInstanceOf(RedisConnectionFailureException.class)
                .hasMessageContaining("Cannot reach Redis at 127.0.0.1:" + redis.port())
                .hasMessageContaining("use a rediss:// URL");
    }

    @Test
    void withoutTheCaTheServerCertificateIsRefusedWithAClearError() {
        assertThatThrownBy(() -> openShared("rediss://127.0.0.1:" + redis.port(), null))
                .isInstanceOf(RedisConnectionFailureException.class)
                .hasMessageContaining("Cannot reach Redis at 127.0.0.1:" + redis.port())
                .hasMessageContaining("TLS handshake failed");
    }

    @Test
    void anSslBundleNameWithoutSslBundlesIsAConfigurationError() {
        assertThatThrownBy(() -> openShared("rediss://127.0.0.1:" + redis.port(), "redis"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("spring.ssl.bundle.pem.redis");
    }

    /** The binder's connection layer on its own, as the binder opens it when it provisions a destination. */
    private static void openShared(String url, String sslBundle) {
        RedisBinderConfigurationProperties properties = new RedisBinderConfigurationProperties();
        properties.setUrl(url);
        properties.setSslBundle(sslBundle);
        properties.setConnectTimeout(Duration.ofSeconds(5));
        try (RedisStreamsConnector connector = new RedisStreamsConnector(
                LettuceConnectionFactories.fromBinderProperties(properties, null), true, Duration.ofSeconds(5))) {
            connector.shared();
        }
    }

    private static ConfigurableApplicationContext start(String url, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.add("--spring.cloud.stream.redis.binder.url=" + url);
        all.add("--spring.jmx.enabled=false");
        return new SpringApplicationBuilder(TopologyApp.class).web(WebApplicationType.NONE)
                .properties("spring.config.name=topology")
                .run(all.toArray(String[]::new));
    }
}
