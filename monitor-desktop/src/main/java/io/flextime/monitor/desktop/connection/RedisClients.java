package io.flextime.monitor.desktop.connection;

import java.io.File;
import java.time.Duration;
import java.util.List;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.SslOptions;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.RedisClusterClient;

import io.flextime.streams.monitor.ClusterRefresh;

/**
 * The Lettuce client for a {@link ConnectionSettings}: a {@link RedisClient} for a single server or a master
 * found through Sentinel, a {@link RedisClusterClient} for a cluster. Commands are rejected rather than queued
 * while disconnected, so a monitoring pass fails fast and the session's back-off takes over.
 */
final class RedisClients {

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

    private RedisClients() {
    }

    static AbstractRedisClient create(ConnectionSettings settings) {
        SslOptions ssl = sslOptions(settings);
        return switch (settings.topology()) {
            case SINGLE -> single(uri(settings, RedisURI.builder().withHost(settings.host()).withPort(settings.port())
                    .withDatabase(settings.database())), ssl);
            case SENTINEL -> single(sentinelUri(settings), ssl);
            case CLUSTER -> cluster(settings, ssl);
        };
    }

    private static RedisClient single(RedisURI uri, SslOptions ssl) {
        RedisClient client = RedisClient.create(uri);
        client.setOptions(clientOptions(ssl));
        return client;
    }

    private static ClientOptions clientOptions(SslOptions ssl) {
        ClientOptions.Builder options = ClientOptions.builder()
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .socketOptions(SocketOptions.builder().connectTimeout(CONNECT_TIMEOUT).build());
        if (ssl != null) {
            options.sslOptions(ssl);
        }
        return options.build();
    }

    /** Topology refresh as in the binder ({@link ClusterRefresh}): after a failover the monitor must find the promoted replica. */
    private static RedisClusterClient cluster(ConnectionSettings settings, SslOptions ssl) {
        // A cluster has only database 0, whatever the settings say.
        List<RedisURI> seeds = nodes(settings).stream()
                .map(node -> uri(settings, RedisURI.builder().withHost(node.host()).withPort(node.port()))).toList();
        RedisClusterClient client = RedisClusterClient.create(seeds);
        client.setOptions(ClusterClientOptions.builder(clientOptions(ssl))
                .topologyRefreshOptions(ClusterRefresh.options(ClusterRefresh.DEFAULT_PERIOD)).build());
        return client;
    }

    /** The sentinels get the data nodes' TLS setting: {@code withSsl} applies to the sentinels already added. */
    static RedisURI sentinelUri(ConnectionSettings settings) {
        if (settings.sentinelMaster() == null || settings.sentinelMaster().isBlank()) {
            throw new IllegalArgumentException("Sentinel needs the master's name");
        }
        RedisURI.Builder builder = RedisURI.builder().withSentinelMasterId(settings.sentinelMaster())
                .withDatabase(settings.database());
        for (Node node : nodes(settings)) {
            builder.withSentinel(node.host(), node.port());
        }
        return uri(settings, builder);
    }

    private static RedisURI uri(ConnectionSettings settings, RedisURI.Builder builder) {
        builder.withSsl(settings.tls()).withTimeout(Duration.ofSeconds(10));
        if (settings.password() != null && !settings.password().isEmpty()) {
            if (settings.username() != null && !settings.username().isEmpty()) {
                builder.withAuthentication(settings.username(), settings.password().toCharArray());
            }
            else {
                builder.withPassword(settings.password().toCharArray());
            }
        }
        return builder.build();
    }

    private static List<Node> nodes(ConnectionSettings settings) {
        List<String> nodes = settings.nodeList();
        if (nodes.isEmpty()) {
            throw new IllegalArgumentException("List the " + (settings.topology() == ConnectionSettings.Topology.CLUSTER
                    ? "cluster's nodes" : "sentinels") + " as host:port, separated by commas");
        }
        return nodes.stream().map(Node::parse).toList();
    }

    private static SslOptions sslOptions(ConnectionSettings settings) {
        ConnectionSettings.TlsFiles files = settings.tlsFiles();
        if (!settings.tls() || files == null) {
            return null;
        }
        SslOptions.Builder ssl = SslOptions.builder().jdkSslProvider();
        if (hasText(files.caCertificate())) {
            ssl.trustManager(existing(files.caCertificate(), "CA certificate"));
        }
        if (hasText(files.clientCertificate()) || hasText(files.clientKey())) {
            if (!hasText(files.clientCertificate()) || !hasText(files.clientKey())) {
                throw new IllegalArgumentException("A client certificate needs both the certificate and its key file");
            }
            ssl.keyManager(existing(files.clientCertificate(), "client certificate"),
                    existing(files.clientKey(), "client key"), null);
        }
        return ssl.build();
    }

    private static File existing(String path, String what) {
        File file = new File(path.trim());
        if (!file.canRead()) {
            throw new IllegalArgumentException("Cannot read the " + what + " file " + file);
        }
        return file;
    }

    private static boolean hasText(String value) {
        return value != null && !value.isBlank();
    }

    private record Node(String host, int port) {

        static Node parse(String text) {
            int colon = text.lastIndexOf(':');
            try {
                return new Node(text.substring(0, colon), Integer.parseInt(text.substring(colon + 1)));
            }
            catch (RuntimeException ex) {
                throw new IllegalArgumentException("'" + text + "' is not host:port");
            }
        }
    }
}
