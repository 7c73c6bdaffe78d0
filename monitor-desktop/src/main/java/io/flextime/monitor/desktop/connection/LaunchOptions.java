package io.flextime.monitor.desktop.connection;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The connection preselected at start: the brief's environment variables ({@code REDIS_STREAMS_HOST},
 * {@code _PORT}, {@code _PASSWORD}, {@code _DB}, {@code _PREFIX}, plus {@code REDIS_STREAMS_USERNAME} and
 * {@code REDIS_STREAMS_TLS}), overridden by flags ({@code --host=}, {@code --port=}, {@code --username=},
 * {@code --password=}, {@code --db=}, {@code --tls}, {@code --prefix=}).
 */
public final class LaunchOptions {

    private LaunchOptions() {
    }

    private static final List<String> FLAGS = List.of("host", "port", "username", "password", "db", "tls", "prefix");

    public static ConnectionSettings parse(String[] args, Map<String, String> environment) {
        Map<String, String> values = new HashMap<>();
        copy(environment, values, "REDIS_STREAMS_HOST", "host");
        copy(environment, values, "REDIS_STREAMS_PORT", "port");
        copy(environment, values, "REDIS_STREAMS_USERNAME", "username");
        copy(environment, values, "REDIS_STREAMS_PASSWORD", "password");
        copy(environment, values, "REDIS_STREAMS_DB", "db");
        copy(environment, values, "REDIS_STREAMS_TLS", "tls");
        copy(environment, values, "REDIS_STREAMS_PREFIX", "prefix");
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
        ConnectionSettings defaults = ConnectionSettings.DEFAULTS;
        return new ConnectionSettings(values.getOrDefault("host", defaults.host()),
                number(values, "port", defaults.port()), blankToNull(values.get("username")),
                blankToNull(values.get("password")), number(values, "db", defaults.database()),
                Boolean.parseBoolean(values.getOrDefault("tls", "false")), values.getOrDefault("prefix", defaults.prefix()));
    }

    private static void copy(Map<String, String> environment, Map<String, String> values, String variable, String name) {
        String value = environment.get(variable);
        if (value != null && !value.isBlank()) {
            values.put(name, value);
        }
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
