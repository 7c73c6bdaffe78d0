package io.flextime.streams.binder.app;

import java.util.ArrayList;
import java.util.List;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import io.flextime.streams.testing.RedisServer;

/** Starts test applications against a test Redis, all stream keys under one prefix per test. */
final class TestApps implements AutoCloseable {

    private final RedisServer redis;

    private final String prefix;

    private final List<ConfigurableApplicationContext> started = new ArrayList<>();

    TestApps(RedisServer redis, String prefix) {
        this.redis = redis;
        this.prefix = prefix;
    }

    /** Starts {@code app} with its bindings from {@code <configName>.yml} plus {@code args}. */
    ConfigurableApplicationContext start(Class<?> app, String configName, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.add("--spring.cloud.stream.redis.binder.url=" + this.redis.uri());
        all.add("--spring.cloud.stream.redis.binder.prefix=" + this.prefix);
        all.add("--spring.jmx.enabled=false");
        ConfigurableApplicationContext context = new SpringApplicationBuilder(app)
                .web(WebApplicationType.NONE)
                .properties("spring.config.name=" + configName)
                .run(all.toArray(new String[0]));
        this.started.add(context);
        return context;
    }

    String prefix() {
        return this.prefix;
    }

    @Override
    public void close() {
        this.started.forEach(ConfigurableApplicationContext::close);
    }
}
