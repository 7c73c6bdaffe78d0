package io.flextime.streams.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/** A {@code redis-server} child process that the test owns: it can stop, kill and restart it. */
final class ProcessRedisServer implements RedisServer {

    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(30);

    private static final int PORT_ATTEMPTS = 5;

    private final Path binary;

    private final Path directory;

    private final List<String> extraArguments;

    private final Path configFile;

    private final TestCertificates tls;

    private final boolean clientCertificateRequired;

    private final Thread shutdownHook;

    private int port;

    private Process process;

    private ProcessRedisServer(Path binary, Path directory, RedisServerOptions options) {
        this.binary = binary;
        this.directory = directory;
        this.extraArguments = options.arguments();
        this.configFile = options.configFile();
        this.tls = options.tls();
        this.clientCertificateRequired = options.clientCertificateRequired();
        this.shutdownHook = new Thread(this::destroyProcess, "redis-server-cleanup");
    }

    static ProcessRedisServer start(Path binary, RedisServerOptions options) {
        Path directory;
        try {
            directory = Files.createTempDirectory("redis-test-");
        }
        catch (IOException ex) {
            throw new UncheckedIOException("Cannot create a data directory for redis-server", ex);
        }
        ProcessRedisServer server = new ProcessRedisServer(binary, directory, options);
        Runtime.getRuntime().addShutdownHook(server.shutdownHook);
        server.startOnFreePort();
        return server;
    }

    /** Another process may take the free port between our probe and redis-server's bind, so retry. */
    private void startOnFreePort() {
        IllegalStateException last = null;
        for (int attempt = 0; attempt < PORT_ATTEMPTS; attempt++) {
            this.port = freePort();
            try {
                launch();
                return;
            }
            catch (IllegalStateException ex) {
                last = ex;
                destroyProcess();
            }
        }
        throw last;
    }

    private void launch() {
        List<String> command = new ArrayList<>(List.of(this.binary.toString()));
        if (this.configFile != null) {
            command.add(this.configFile.toString());
        }
        if (this.tls != null) {
            command.addAll(List.of("--port", "0", "--tls-port", String.valueOf(this.port),
                    "--tls-cert-file", this.tls.serverCertificate().toString(),
                    "--tls-key-file", this.tls.serverKey().toString(),
                    "--tls-ca-cert-file", this.tls.caCertificate().toString(),
                    "--tls-auth-clients", this.clientCertificateRequired ? "yes" : "optional"));
        }
        else {
            command.addAll(List.of("--port", String.valueOf(this.port)));
        }
        command.addAll(List.of("--bind", "127.0.0.1",
                "--dir", this.directory.toString(),
                "--logfile", logFile().toString(),
                "--daemonize", "no",
                "--protected-mode", "no",
                "--save", "",
                "--appendonly", "no"));
        // Later arguments override earlier ones, so options such as --appendonly yes win.
        command.addAll(this.extraArguments);
        int readyLines = countReadyLines();
        try {
            this.process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(this.directory.resolve("stdout.log").toFile()))
                    .start();
        }
        catch (IOException ex) {
            throw new IllegalStateException("Cannot start " + this.binary + ": " + ex.getMessage(), ex);
        }
        awaitReady(readyLines);
    }

    /** A TLS port does not answer a plain PING, so readiness is read from the log, where restarts append. */
    private void awaitReady(int readyLinesBefore) {
        try {
            Awaitility.await("redis-server on port " + this.port)
                    .atMost(STARTUP_TIMEOUT)
                    .pollInterval(Duration.ofMillis(20))
                    .until(() -> {
                        if (!this.process.isAlive()) {
                            throw new IllegalStateException("redis-server exited with " + this.process.exitValue()
                                    + "; log: " + readLog());
                        }
                        return this.tls != null ? countReadyLines() > readyLinesBefore
                                : RespPing.answers("127.0.0.1", this.port);
                    });
        }
        catch (ConditionTimeoutException ex) {
            throw new IllegalStateException("redis-server did not answer PING within " + STARTUP_TIMEOUT
                    + "; log: " + readLog(), ex);
        }
    }

    private int countReadyLines() {
        return (int) readLog().lines().filter(line -> line.contains("Ready to accept connections")).count();
    }

    private Path logFile() {
        return this.directory.resolve("redis.log");
    }

    private String readLog() {
        try {
            return Files.exists(logFile()) ? Files.readString(logFile()) : "(no log)";
        }
        catch (IOException ex) {
            return "(log unreadable: " + ex.getMessage() + ")";
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        }
        catch (IOException ex) {
            throw new UncheckedIOException("No free port for redis-server", ex);
        }
    }

    @Override
    public String host() {
        return "127.0.0.1";
    }

    @Override
    public int port() {
        return this.port;
    }

    @Override
    public URI uri() {
        return URI.create((this.tls != null ? "rediss://" : "redis://") + host() + ":" + this.port);
    }

    @Override
    public boolean supportsFaults() {
        return true;
    }

    @Override
    public String faultsUnsupportedReason() {
        return "";
    }

    @Override
    public void stop() {
        if (this.process != null && this.process.isAlive()) {
            this.process.destroy();
            waitForExit();
        }
    }

    @Override
    public void kill() {
        destroyProcess();
    }

    @Override
    public void restart() {
        stop();
        launch();
    }

    private void destroyProcess() {
        if (this.process != null && this.process.isAlive()) {
            this.process.destroyForcibly();
            waitForExit();
        }
    }

    private void waitForExit() {
        try {
            if (!this.process.waitFor(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("redis-server on port " + this.port + " did not exit");
            }
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for redis-server to exit", ex);
        }
    }

    @Override
    public void close() {
        destroyProcess();
        try {
            Runtime.getRuntime().removeShutdownHook(this.shutdownHook);
        }
        catch (IllegalStateException ex) {
            // JVM already shutting down: the hook runs anyway
        }
        deleteDirectory();
    }

    private void deleteDirectory() {
        try (Stream<Path> paths = Files.walk(this.directory)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
        catch (IOException ex) {
            // a leftover temp directory is harmless
        }
    }

    @Override
    public String toString() {
        return "redis-server[127.0.0.1:" + this.port + ", dir=" + this.directory + "]";
    }
}
