package io.flextime.monitor.desktop.connection;

import java.util.Arrays;
import java.util.List;

/**
 * Where the monitor connects and what it watches.
 *
 * @param host Redis host (a single server)
 * @param port Redis port (a single server)
 * @param username ACL user, or {@code null}
 * @param password password, or {@code null}
 * @param database database index (a cluster has only 0)
 * @param tls whether to use TLS
 * @param prefix the key prefix of the streams to watch
 * @param topology a single server, a cluster or a master behind Sentinel; {@code null} reads as a single server
 * @param nodes for a cluster its seed nodes, for Sentinel the sentinels: {@code host:port,host:port}
 * @param sentinelMaster the master's name as the sentinels know it
 * @param tlsFiles PEM files for TLS; {@code null} uses the JVM's trust store and no client certificate
 */
public record ConnectionSettings(String host, int port, String username, String password, int database, boolean tls,
        String prefix, Topology topology, String nodes, String sentinelMaster, TlsFiles tlsFiles) {

    public static final ConnectionSettings DEFAULTS = single("localhost", 6379, null, null, 1, false, "flextime:stream:");

    /** A single Redis server, with the JVM's trust store when TLS is on. */
    public static ConnectionSettings single(String host, int port, String username, String password, int database,
            boolean tls, String prefix) {
        return new ConnectionSettings(host, port, username, password, database, tls, prefix, Topology.SINGLE, null, null,
                null);
    }

    /** Profiles saved before clusters and Sentinel were supported have no topology: they are single servers. */
    @Override
    public Topology topology() {
        return this.topology == null ? Topology.SINGLE : this.topology;
    }

    /** {@link #nodes} as a list, blanks dropped. */
    public List<String> nodeList() {
        return this.nodes == null ? List.of()
                : Arrays.stream(this.nodes.split(",")).map(String::trim).filter(node -> !node.isEmpty()).toList();
    }

    /** For the status bar and window title; never shows the password. */
    public String describe() {
        String user = this.username == null || this.username.isEmpty() ? "" : this.username + "@";
        String scheme = this.tls ? "rediss://" : "redis://";
        String where = switch (topology()) {
            case SINGLE -> scheme + user + this.host + ":" + this.port + "/" + this.database;
            case CLUSTER -> "cluster " + scheme + user + String.join(",", nodeList());
            case SENTINEL -> "sentinel master '" + this.sentinelMaster + "' " + scheme + user
                    + String.join(",", nodeList()) + "/" + this.database;
        };
        return where + " " + this.prefix + "*";
    }

    public ConnectionSettings withoutPassword() {
        return new ConnectionSettings(this.host, this.port, this.username, null, this.database, this.tls, this.prefix,
                this.topology, this.nodes, this.sentinelMaster, this.tlsFiles);
    }

    /** Never shows the password, so settings can be logged or printed safely. */
    @Override
    public String toString() {
        return "ConnectionSettings[" + describe() + (this.password == null ? "" : ", password=****") + "]";
    }

    /** What kind of Redis deployment to connect to. */
    public enum Topology {
        SINGLE, CLUSTER, SENTINEL
    }

    /**
     * PEM files for TLS, each optional: the CA that signed the server's certificate (else the JVM's trust
     * store), and a client certificate with its key for servers that require one.
     */
    public record TlsFiles(String caCertificate, String clientCertificate, String clientKey) {
    }
}
