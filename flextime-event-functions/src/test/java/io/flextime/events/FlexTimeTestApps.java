package io.flextime.events;

import java.util.ArrayList;
import java.util.List;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import io.flextime.streams.testing.RedisServer;

/** Starts the FlexTime service from its own application.yml against a test Redis, and reads Redis directly. */
public final class FlexTimeTestApps implements AutoCloseable {

    private final RedisServer redis;

    private final RedisClient client;

    private final StatefulRedisConnection<String, String> connection;

    private final List<ConfigurableApplicationContext> apps = new ArrayList<>();

    public FlexTimeTestApps(RedisServer redis) {
        this.redis = redis;
        this.client = RedisClient.create(redis.uri().toString());
        this.connection = this.client.connect();
    }

    public ConfigurableApplicationContext start(String... extraArgs) {
        return start(WebApplicationType.NONE, extraArgs);
    }

    /** With its web server on a free port ({@code local.server.port}). */
    public ConfigurableApplicationContext startWeb(String... extraArgs) {
        List<String> args = new ArrayList<>(List.of(extraArgs));
        args.add("--server.port=0");
        return start(WebApplicationType.SERVLET, args.toArray(new String[0]));
    }

    private ConfigurableApplicationContext start(WebApplicationType type, String... extraArgs) {
        List<String> args = new ArrayList<>(List.of("--REDIS_STREAMS_HOST=" + this.redis.host(),
                "--REDIS_STREAMS_PORT=" + this.redis.port(), "--REDIS_STREAMS_DB=0", "--spring.jmx.enabled=false",
                "--spring.cloud.stream.redis.default.consumer.block=200ms"));
        args.addAll(List.of(extraArgs));
        ConfigurableApplicationContext app = new SpringApplicationBuilder(FlexTimeEventsApplication.class)
                .web(type).run(args.toArray(new String[0]));
        this.apps.add(app);
        return app;
    }

    public RedisCommands<String, String> redis() {
        return this.connection.sync();
    }

    @Override
    public void close() {
        this.apps.forEach(ConfigurableApplicationContext::close);
        this.connection.close();
        this.client.shutdown();
    }
}
