package io.flextime.streams.testing;

import java.util.ArrayList;
import java.util.List;

/**
 * How a locally started {@code redis-server} is configured. Ignored for {@code REDIS_URL} servers.
 *
 * <p>The default keeps nothing on disk, which is fastest. Fault tests that restart Redis and expect
 * acknowledged writes to survive use {@link #appendOnlyFsyncAlways()}.
 */
public final class RedisServerOptions {

    private final List<String> arguments = new ArrayList<>();

    private RedisServerOptions() {
    }

    public static RedisServerOptions defaults() {
        return new RedisServerOptions();
    }

    /** AOF on with {@code appendfsync always}: every acknowledged write survives SIGKILL. */
    public RedisServerOptions appendOnlyFsyncAlways() {
        return argument("--appendonly", "yes").argument("--appendfsync", "always");
    }

    /** Any other {@code redis-server} argument, e.g. {@code argument("--maxclients", "50")}. */
    public RedisServerOptions argument(String name, String... values) {
        this.arguments.add(name);
        this.arguments.addAll(List.of(values));
        return this;
    }

    List<String> arguments() {
        return List.copyOf(this.arguments);
    }
}
