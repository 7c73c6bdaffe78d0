package io.flextime.monitor.desktop.connection;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The connection preselected at start: the brief's environment variables ({@code REDIS_STREAMS_HOST},
 * {@code _PORT}, {@code _PASSWORD}, {@code _DB}, {@code _PREFIX}, plus {@code REDIS_STREAMS_USERNAME},
 * {@code _TLS}, {@code _CLUSTER_NODES}, {@code _SENTINEL_MASTER}, {@code _SENTINEL_NODES}, {@code _TLS_CA},
 * {@code _TLS_CERT} and {@code _TLS_KEY}), overridden by flags of the same names ({@code --host=},
 * {@code --cluster-nodes=}, {@code --tls}, ...). Cluster nodes make it a cluster connection, a sentinel master
 * a Sentinel one.
 */
public final class LaunchOptions {

    private LaunchOptions() {
    }

    private static final List<String> FLAGS = List.of("host", "port", "username", "password", "db", "tls", "prefix",
            "cluster-nodes", "sentinel-master", "sentinel-nodes", "tls-ca", "tls-cert", "tls-key");

    public static ConnectionSettings parse(String[] args, Map<String, String> environment) {
        Map<String, String> values = new HashMap<>();
        for (String flag : FLAGS) {
            // Each flag's variable is its name in capitals: --cluster-nodes is REDIS_STREAMS_CLUSTER_NODES.
            String value = environment.get("REDIS_STREAMS_" + flag.toUpperCase(Locale.ROOT).replace('-', '_'));
            if (value != null && !value.isBlank()) {
                values.put(flag, value);
            }
        }
        for (String arg : args) {
            if (!arg.startsWith("--")) {
                throw new IllegalArgumentException("Unknown argument '" + arg + "'; flags look like --host=redis.local");
            }
            int equals = arg.indexOf('=');
            String name = equals < 0 ? arg.substring(2) : arg.substring(2, equals);
            if (!FLAGS.contains(name)) {
                throw new IllegalArgumentException("Unknown flag '--" + name + "'; the flags are --" + String.join("=, --", FLAGS)
                        + "= (and --screenshot=<file.png>)");
            }
            values.put(name, equals < 0 ? "true" : arg.substring(equals + 1));
        }
        if (values.containsKey("cluster-nodes") && values.containsKey("sentinel-master")) {
            throw new IllegalArgumentException("Give either --cluster-nodes or --sentinel-master, not both");
        }
        if (values.containsKey("sentinel-nodes") && !values.containsKey("sentinel-master")) {
            throw new IllegalArgumentException("--sentinel-nodes needs --sentinel-master, the master's name");
        }
        ConnectionSettings defaults = ConnectionSettings.DEFAULTS;
        ConnectionSettings.Topology topology = values.containsKey("cluster-nodes") ? ConnectionSettings.Topology.CLUSTER
                : values.containsKey("sentinel-master") ? ConnectionSettings.Topology.SENTINEL : ConnectionSettings.Topology.SINGLE;
        String nodes = topology == ConnectionSettings.Topology.CLUSTER ? values.get("cluster-nodes") : values.get("sentinel-nodes");
        ConnectionSettings.TlsFiles tlsFiles = values.containsKey("tls-ca") || values.containsKey("tls-cert")
                || values.containsKey("tls-key") ? new ConnectionSettings.TlsFiles(values.get("tls-ca"),
                        values.get("tls-cert"), values.get("tls-key")) : null;
        return new ConnectionSettings(values.getOrDefault("host", defaults.host()),
                number(values, "port", defaults.port()), blankToNull(values.get("username")),
                blankToNull(values.get("password")),
                number(values, "db", topology == ConnectionSettings.Topology.CLUSTER ? 0 : defaults.database()),
                Boolean.parseBoolean(values.getOrDefault("tls", String.valueOf(tlsFiles != null))),
                values.getOrDefault("prefix", defaults.prefix()), topology, nodes, values.get("sentinel-master"), tlsFiles);
    }

    private static int number(Map<String, String> values, String name, int fallback) {
        String value = values.get(name);
        if (value == null) {
            return fallback;
        }
        try {
            return Integer.parseInt(value.trim());
        }
        catch (NumberFormatException ex) {
            throw new IllegalArgumentException("--" + name + " must be a number, got '" + value + "'");
        }
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
