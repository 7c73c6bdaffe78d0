package io.flextime.streams.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code redis-cli} against a local server, for the topology set-up that only {@code redis-cli} does well
 * ({@code --cluster create}) and for the few admin commands the harness needs without a client library.
 */
final class RedisCli {

    private RedisCli() {
    }

    /** {@code redis-cli -h 127.0.0.1 -p <port> <arguments>}; returns what it printed, or throws when it failed. */
    static String run(int port, String... arguments) {
        List<String> command = new ArrayList<>(List.of(binary().toString(), "-h", "127.0.0.1", "-p", String.valueOf(port)));
        command.addAll(List.of(arguments));
        Path output = null;
        try {
            // Output goes to a file, so a redis-cli that hangs cannot block the read and the timeout below holds.
            output = Files.createTempFile("redis-cli-", ".out");
            Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("redis-cli " + String.join(" ", arguments) + " did not finish within 120 s");
            }
            String printed = Files.readString(output, StandardCharsets.UTF_8);
            if (process.exitValue() != 0) {
                throw new IllegalStateException("redis-cli " + String.join(" ", arguments) + " failed: " + printed);
            }
            return printed;
        }
        catch (IOException ex) {
            throw new IllegalStateException("Cannot run redis-cli: " + ex.getMessage(), ex);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while running redis-cli", ex);
        }
        finally {
            if (output != null) {
                output.toFile().delete();
            }
        }
    }

    /** The value of {@code field} in an {@code INFO}-style reply ({@code field:value} lines), or {@code null}. */
    static String field(String reply, String field) {
        return reply.lines().filter(line -> line.startsWith(field + ":")).findFirst()
                .map(line -> line.substring(field.length() + 1).trim()).orElse(null);
    }

    /** {@code redis-cli} from the same installation as {@code redis-server}, else from the PATH. */
    private static Path binary() {
        Path server = RedisServerLauncher.findRedisServerBinary().orElse(null);
        if (server != null && Files.isExecutable(server.resolveSibling("redis-cli"))) {
            return server.resolveSibling("redis-cli");
        }
        return Path.of("redis-cli");
    }
}
