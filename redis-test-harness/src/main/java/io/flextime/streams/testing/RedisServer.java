package io.flextime.streams.testing;

import java.net.URI;

/**
 * A Redis server for tests. Obtain one with {@link #start()} or {@link #start(RedisServerOptions)}.
 *
 * <p>Which server you get, in this order:
 * <ol>
 *   <li>{@code REDIS_URL} is set: that server. Fault operations are unsupported, because the test does
 *   not own it.</li>
 *   <li>a {@code redis-server} binary is found: a child process on a free loopback port, data in a
 *   temporary directory. Supports {@link #stop()}, {@link #kill()} and {@link #restart()}.</li>
 *   <li>Docker answers: a Testcontainers Redis. Its mapped port changes on restart, so fault
 *   operations are unsupported there too.</li>
 *   <li>none of these: an {@link IllegalStateException} that says how to install Redis.</li>
 * </ol>
 */
public interface RedisServer extends AutoCloseable {

    static RedisServer start() {
        return start(RedisServerOptions.defaults());
    }

    static RedisServer start(RedisServerOptions options) {
        return RedisServerLauncher.launch(options);
    }

    /**
     * A {@code redis-server} child process whatever {@code REDIS_URL} says: for tests that build a topology
     * (cluster, sentinel, TLS) and so must own and configure every server.
     * @throws IllegalStateException when no {@code redis-server} binary is installed
     */
    static RedisServer startProcess(RedisServerOptions options) {
        return RedisServerLauncher.launchProcess(options);
    }

    String host();

    int port();

    /** A {@code redis://} URI that Lettuce and Spring understand. */
    default URI uri() {
        return URI.create("redis://" + host() + ":" + port());
    }

    /**
     * Whether {@link #stop()}, {@link #kill()} and {@link #restart()} work. Fault tests call
     * {@code assumeTrue(redis.supportsFaults(), redis.faultsUnsupportedReason())}.
     */
    boolean supportsFaults();

    /** Why fault operations are unsupported, or an empty string when they are supported. */
    String faultsUnsupportedReason();

    /** Graceful shutdown (SIGTERM): an AOF-enabled server flushes before it exits. */
    void stop();

    /** SIGKILL: nothing is flushed beyond what the fsync policy already wrote. */
    void kill();

    /** Starts the server again on the same port and data directory, and waits until it answers. */
    void restart();

    @Override
    void close();
}
