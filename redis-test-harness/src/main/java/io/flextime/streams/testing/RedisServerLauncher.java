package io.flextime.streams.testing;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;

/** Picks the kind of server described in {@link RedisServer}. */
final class RedisServerLauncher {

    static final String INSTALL_HINT = "No Redis for the tests: no REDIS_URL, no redis-server binary on the PATH, "
            + "and no Docker. Install Redis 7 (Debian/Ubuntu: 'sudo apt-get install redis-server'; "
            + "macOS: 'brew install redis'), or point REDIS_URL at a server, e.g. REDIS_URL=redis://127.0.0.1:6379.";

    private RedisServerLauncher() {
    }

    static RedisServer launch(RedisServerOptions options) {
        String url = System.getenv("REDIS_URL");
        if (url != null && !url.isBlank()) {
            return new ExternalRedisServer(URI.create(url.trim()));
        }
        Optional<Path> binary = findRedisServerBinary();
        if (binary.isPresent()) {
            return ProcessRedisServer.start(binary.get(), options);
        }
        if (ContainerRedisServer.dockerAvailable()) {
            return ContainerRedisServer.start();
        }
        throw new IllegalStateException(INSTALL_HINT);
    }

    static RedisServer launchProcess(RedisServerOptions options) {
        Path binary = findRedisServerBinary().orElseThrow(() -> new IllegalStateException("This test starts its own "
                + "redis-server processes, but no redis-server binary is on the PATH. Install Redis 7 (Debian/Ubuntu: "
                + "'sudo apt-get install redis-server'; macOS: 'brew install redis')."));
        return ProcessRedisServer.start(binary, options);
    }

    static Optional<Path> findRedisServerBinary() {
        String override = System.getenv("REDIS_SERVER_BINARY");
        if (override != null && !override.isBlank()) {
            return Optional.of(Path.of(override));
        }
        String path = System.getenv().getOrDefault("PATH", "");
        return Stream.concat(Stream.of(path.split(java.io.File.pathSeparator)),
                        Stream.of("/usr/bin", "/usr/local/bin", "/usr/sbin", "/opt/homebrew/bin"))
                .filter(dir -> !dir.isBlank())
                .map(dir -> Path.of(dir, "redis-server"))
                .filter(Files::isExecutable)
                .findFirst();
    }
}
