package io.flextime.streams.testing;

import java.nio.file.Path;
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

    private Path configFile;

    private TestCertificates tls;

    private boolean clientCertificateRequired;

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

    /** A configuration file read before the arguments; Sentinel needs one it can rewrite. */
    public RedisServerOptions configFile(Path file) {
        this.configFile = file;
        return this;
    }

    /**
     * Serve TLS only, on the server's port, with the server certificate of {@code certificates}. A client
     * certificate, when presented or {@code required}, must be signed by their CA.
     */
    public RedisServerOptions tls(TestCertificates certificates, boolean clientCertificateRequired) {
        this.tls = certificates;
        this.clientCertificateRequired = clientCertificateRequired;
        return this;
    }

    List<String> arguments() {
        return List.copyOf(this.arguments);
    }

    Path configFile() {
        return this.configFile;
    }

    TestCertificates tls() {
        return this.tls;
    }

    boolean clientCertificateRequired() {
        return this.clientCertificateRequired;
    }
}
