package io.flextime.streams.binder.connection;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.SslOptions;
import io.lettuce.core.cluster.ClusterClientOptions;

import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.data.redis.connection.RedisClusterConfiguration;
import org.springframework.data.redis.connection.RedisConfiguration;
import org.springframework.data.redis.connection.RedisPassword;
import org.springframework.data.redis.connection.RedisSentinelConfiguration;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.util.StringUtils;

import io.flextime.streams.binder.properties.RedisBinderConfigurationProperties;
import io.flextime.streams.binder.properties.RedisBinderConfigurationProperties.Cluster;
import io.flextime.streams.binder.properties.RedisBinderConfigurationProperties.Sentinel;
import io.flextime.streams.monitor.ClusterRefresh;
import io.flextime.streams.monitor.TextConnection;

/**
 * Builds the binder's own connection factory from {@code spring.cloud.stream.redis.binder.*}: one server,
 * a Redis Cluster ({@code cluster.nodes}) or a master found through Sentinel ({@code sentinel.master}),
 * each optionally over TLS with an SSL bundle.
 */
public final class LettuceConnectionFactories {

    private LettuceConnectionFactories() {
    }

    /**
     * A String-codec connection for the monitor or the admin operations that follows {@code factory} through a
     * stop and start, each of which replaces its Lettuce client, and opens on first use.
     */
    public static TextConnection textConnection(LettuceConnectionFactory factory) {
        return TextConnection.following(() -> runningClient(factory), factory.isClusterAware());
    }

    /**
     * The factory's Lettuce client, or {@code null} while the factory is not running: stopping it shuts the
     * client down (and a start makes a new one). A stop between the check and the call counts as not running.
     */
    static AbstractRedisClient runningClient(LettuceConnectionFactory factory) {
        if (!factory.isRunning()) {
            return null;
        }
        try {
            return factory.getRequiredNativeClient();
        }
        catch (IllegalStateException stoppedMeanwhile) {
            return null;
        }
    }

    public static LettuceConnectionFactory fromBinderProperties(RedisBinderConfigurationProperties properties) {
        return fromBinderProperties(properties, null);
    }

    /** @param sslBundles the application's SSL bundles, or {@code null} when there are none */
    public static LettuceConnectionFactory fromBinderProperties(RedisBinderConfigurationProperties properties,
            SslBundles sslBundles) {
        RedisUrl endpoint = endpoint(properties);
        boolean clustered = !properties.getCluster().getNodes().isEmpty();
        boolean sentinel = StringUtils.hasText(properties.getSentinel().getMaster());
        if (clustered && sentinel) {
            throw new IllegalStateException("spring.cloud.stream.redis.binder: set either cluster.nodes or "
                    + "sentinel.master, not both");
        }
        RedisConfiguration configuration = clustered ? cluster(properties.getCluster(), endpoint)
                : sentinel ? sentinel(properties.getSentinel(), endpoint) : standalone(endpoint);
        SslOptions ssl = sslOptions(properties.getSslBundle(), sslBundles);
        LettuceClientConfiguration.LettuceClientConfigurationBuilder client = LettuceClientConfiguration.builder()
                .commandTimeout(properties.getCommandTimeout())
                .clientOptions(clustered ? clusterClientOptions(properties.getConnectTimeout(), ssl,
                        properties.getCluster().getRefreshPeriod()) : clientOptions(properties.getConnectTimeout(), ssl));
        if (StringUtils.hasText(properties.getClientName())) {
            client.clientName(properties.getClientName());
        }
        if (endpoint.ssl() || ssl != null) {
            client.useSsl();
        }
        LettuceConnectionFactory factory = new LettuceConnectionFactory(configuration, client.build());
        factory.afterPropertiesSet();
        return factory;
    }

    private static RedisStandaloneConfiguration standalone(RedisUrl endpoint) {
        RedisStandaloneConfiguration standalone = new RedisStandaloneConfiguration(endpoint.host(), endpoint.port());
        standalone.setDatabase(endpoint.database());
        standalone.setUsername(endpoint.username());
        standalone.setPassword(RedisPassword.of(endpoint.password()));
        return standalone;
    }

    private static RedisClusterConfiguration cluster(Cluster cluster, RedisUrl endpoint) {
        if (endpoint.database() != 0) {
            throw new IllegalStateException("spring.cloud.stream.redis.binder: Redis Cluster has only database 0, "
                    + "but database " + endpoint.database() + " is configured");
        }
        RedisClusterConfiguration configuration = new RedisClusterConfiguration(requireNodes("cluster.nodes", cluster.getNodes()));
        if (cluster.getMaxRedirects() != null) {
            configuration.setMaxRedirects(cluster.getMaxRedirects());
        }
        configuration.setUsername(endpoint.username());
        configuration.setPassword(RedisPassword.of(endpoint.password()));
        return configuration;
    }

    private static RedisSentinelConfiguration sentinel(Sentinel sentinel, RedisUrl endpoint) {
        RedisSentinelConfiguration configuration = new RedisSentinelConfiguration(sentinel.getMaster(),
                new HashSet<>(requireNodes("sentinel.nodes", sentinel.getNodes())));
        configuration.setDatabase(endpoint.database());
        configuration.setUsername(endpoint.username());
        configuration.setPassword(RedisPassword.of(endpoint.password()));
        configuration.setSentinelUsername(sentinel.getUsername());
        configuration.setSentinelPassword(RedisPassword.of(sentinel.getPassword()));
        return configuration;
    }

    /** Nodes are checked here, so a typo fails at start-up with the property's name rather than deep in Lettuce. */
    private static List<String> requireNodes(String property, List<String> nodes) {
        if (nodes.isEmpty()) {
            throw new IllegalStateException("spring.cloud.stream.redis.binder." + property + " is empty");
        }
        for (String node : nodes) {
            int colon = node.lastIndexOf(':');
            if (colon <= 0 || !node.substring(colon + 1).matches("[0-9]{1,5}")) {
                throw new IllegalStateException("spring.cloud.stream.redis.binder." + property + ": '" + node
                        + "' is not host:port");
            }
        }
        return nodes.stream().map(String::trim).toList();
    }

    /** The trust material, protocols and ciphers of a Spring Boot SSL bundle, as Lettuce wants them. */
    private static SslOptions sslOptions(String bundleName, SslBundles sslBundles) {
        if (!StringUtils.hasText(bundleName)) {
            return null;
        }
        if (sslBundles == null) {
            throw new IllegalStateException("spring.cloud.stream.redis.binder.ssl-bundle is '" + bundleName
                    + "', but the application has no SSL bundles: configure spring.ssl.bundle.jks." + bundleName
                    + " or spring.ssl.bundle.pem." + bundleName);
        }
        SslBundle bundle = sslBundles.getBundle(bundleName);
        SslOptions.Builder options = SslOptions.builder().jdkSslProvider()
                .keyManager(bundle.getManagers().getKeyManagerFactory())
                .trustManager(bundle.getManagers().getTrustManagerFactory());
        if (bundle.getOptions().getEnabledProtocols() != null) {
            options.protocols(bundle.getOptions().getEnabledProtocols());
        }
        if (bundle.getOptions().getCiphers() != null) {
            options.cipherSuites(bundle.getOptions().getCiphers());
        }
        return options.build();
    }

    /**
     * Commands issued while the connection is down fail fast instead of queueing without bound: a reader
     * then backs off and reconnects, and a producer's error reaches its error channel.
     */
    static ClientOptions clientOptions(Duration connectTimeout, SslOptions ssl) {
        ClientOptions.Builder options = ClientOptions.builder()
                .autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .socketOptions(socketOptions(connectTimeout));
        if (ssl != null) {
            options.sslOptions(ssl);
        }
        return options.build();
    }

    /** As {@link #clientOptions}, plus topology refresh (see {@link ClusterRefresh}). */
    static ClusterClientOptions clusterClientOptions(Duration connectTimeout, SslOptions ssl, Duration refreshPeriod) {
        return ClusterClientOptions.builder(clientOptions(connectTimeout, ssl))
                .topologyRefreshOptions(ClusterRefresh.options(refreshPeriod)).build();
    }

    private static SocketOptions socketOptions(Duration connectTimeout) {
        return SocketOptions.builder().connectTimeout(connectTimeout).keepAlive(true).build();
    }

    /** Host, credentials, database and TLS from {@code url}, or else from the separate properties. */
    private static RedisUrl endpoint(RedisBinderConfigurationProperties properties) {
        if (StringUtils.hasText(properties.getUrl())) {
            return RedisUrl.parse(properties.getUrl());
        }
        return new RedisUrl(properties.getHost() != null ? properties.getHost() : "localhost",
                properties.getPort() != null ? properties.getPort() : 6379,
                properties.getDatabase() != null ? properties.getDatabase() : 0,
                StringUtils.hasText(properties.getUsername()) ? properties.getUsername() : null,
                StringUtils.hasText(properties.getPassword()) ? properties.getPassword() : null,
                Boolean.TRUE.equals(properties.getSsl()));
    }
}
