package io.flextime.events;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Docker is not available to run {@code docker-compose.yml} here, so this reads it: every environment
 * variable it gives the service is one application.yml reads, with the same default, and the published
 * ports are the ones the service and Redis listen on.
 */
class DockerComposeConsistencyTests {

    private static final Pattern SPRING_PLACEHOLDER = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*):([^}]*)}");

    private static final Pattern COMPOSE_DEFAULT = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*):-([^}]*)}");

    /** Values that differ on purpose inside the compose network. */
    private static final Map<String, String> CONTAINER_VALUES = Map.of("REDIS_STREAMS_HOST", "redis",
            "REDIS_STREAMS_PORT", "6379", "EVENT_API_PORT", "3010");

    @Test
    @SuppressWarnings("unchecked")
    void composeEnvironmentAndPortsAgreeWithApplicationYml() throws IOException {
        Map<String, String> appDefaults = applicationYmlDefaults();
        Map<String, Object> compose = new Yaml().load(Files.readString(Path.of("..", "docker-compose.yml")));
        Map<String, Object> services = (Map<String, Object>) compose.get("services");
        Map<String, Object> app = (Map<String, Object>) services.get("flextime-events");
        Map<String, Object> environment = (Map<String, Object>) app.get("environment");

        assertThat(appDefaults.keySet()).as("every variable of the brief is in application.yml").contains(
                "REDIS_STREAMS_HOST", "REDIS_STREAMS_PORT", "REDIS_STREAMS_PASSWORD", "REDIS_STREAMS_DB",
                "REDIS_STREAMS_PREFIX", "REDIS_CONSUMER_GROUP", "REDIS_CONSUMER_NAME", "REDIS_MAX_STREAM_LENGTH",
                "MONITORING_INTERVAL", "ALERT_LAG_THRESHOLD", "ALERT_ERROR_RATE_THRESHOLD",
                "ALERT_CONSUMER_IDLE_THRESHOLD", "EVENT_API_PORT", "EVENT_API_KEY", "LOG_LEVEL", "ENABLE_EVENT_STREAMING");
        assertThat(appDefaults).containsEntry("REDIS_STREAMS_DB", "1").containsEntry("REDIS_STREAMS_PREFIX", "flextime:stream:")
                .containsEntry("REDIS_MAX_STREAM_LENGTH", "50000").containsEntry("EVENT_API_PORT", "3010");
        assertThat(appDefaults.keySet()).containsAll(environment.keySet());
        environment.forEach((name, value) -> {
            String text = String.valueOf(value);
            if (CONTAINER_VALUES.containsKey(name)) {
                assertThat(text).as(name).isEqualTo(CONTAINER_VALUES.get(name));
                return;
            }
            Matcher matcher = COMPOSE_DEFAULT.matcher(text);
            assertThat(matcher.matches()).as(name + " takes the host's variable with a default").isTrue();
            assertThat(matcher.group(1)).isEqualTo(name);
            assertThat(matcher.group(2)).as("default of " + name).isEqualTo(appDefaults.get(name));
        });
        assertThat((List<String>) app.get("ports")).containsExactly("${EVENT_API_PORT:-3010}:" + appDefaults.get("EVENT_API_PORT"));
        Map<String, Object> redis = (Map<String, Object>) services.get("redis");
        assertThat((List<String>) redis.get("ports")).containsExactly("${REDIS_STREAMS_PORT:-6379}:" + appDefaults.get("REDIS_STREAMS_PORT"));
        assertThat(String.valueOf(redis.get("command"))).contains("--appendonly", "yes");
        assertThat(redis).containsKey("healthcheck");
        Map<String, Object> insight = (Map<String, Object>) services.get("redisinsight");
        assertThat((List<String>) insight.get("profiles")).containsExactly("monitoring");
    }

    private static Map<String, String> applicationYmlDefaults() throws IOException {
        try (InputStream in = DockerComposeConsistencyTests.class.getResourceAsStream("/application.yml")) {
            String yml = new String(in.readAllBytes());
            Map<String, String> defaults = new TreeMap<>();
            Matcher matcher = SPRING_PLACEHOLDER.matcher(yml);
            while (matcher.find()) {
                String previous = defaults.put(matcher.group(1), matcher.group(2));
                assertThat(previous == null || previous.equals(matcher.group(2)))
                        .as("one default for " + matcher.group(1)).isTrue();
            }
            return defaults;
        }
    }
}
