package io.flextime.streams.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A throw-away certificate authority with a server certificate for {@code 127.0.0.1}/{@code localhost} and a
 * client certificate, as PEM files in a temporary directory, made with the {@code openssl} command line (the
 * same tool Redis's own TLS test scripts use). Valid for one day.
 */
public final class TestCertificates implements AutoCloseable {

    private final Path directory;

    private TestCertificates(Path directory) {
        this.directory = directory;
    }

    public static TestCertificates generate() {
        try {
            Path directory = Files.createTempDirectory("redis-tls-");
            TestCertificates certificates = new TestCertificates(directory);
            certificates.openssl("req", "-x509", "-new", "-nodes", "-newkey", "rsa:2048", "-days", "1",
                    "-subj", "/CN=FlexTime Test CA", "-keyout", "ca.key", "-out", "ca.crt");
            certificates.issue("server", "/CN=localhost", "subjectAltName=IP:127.0.0.1,DNS:localhost");
            certificates.issue("client", "/CN=flextime-client", "extendedKeyUsage=clientAuth");
            return certificates;
        }
        catch (IOException ex) {
            throw new UncheckedIOException("Cannot create a directory for test certificates", ex);
        }
    }

    private void issue(String name, String subject, String extension) throws IOException {
        openssl("req", "-new", "-nodes", "-newkey", "rsa:2048", "-subj", subject, "-keyout", name + ".key",
                "-out", name + ".csr");
        Files.writeString(this.directory.resolve(name + ".ext"), extension + "\n");
        openssl("x509", "-req", "-in", name + ".csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial",
                "-days", "1", "-extfile", name + ".ext", "-out", name + ".crt");
    }

    private void openssl(String... arguments) {
        List<String> command = new ArrayList<>(List.of("openssl"));
        command.addAll(List.of(arguments));
        try {
            Process process = new ProcessBuilder(command).directory(this.directory.toFile()).redirectErrorStream(true)
                    .redirectOutput(this.directory.resolve("openssl.log").toFile()).start();
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException("openssl " + String.join(" ", arguments) + " failed: "
                        + Files.readString(this.directory.resolve("openssl.log")));
            }
        }
        catch (IOException ex) {
            throw new IllegalStateException("TLS tests need the openssl command (Debian/Ubuntu: 'sudo apt-get install "
                    + "openssl'): " + ex.getMessage(), ex);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while running openssl", ex);
        }
    }

    public Path caCertificate() {
        return this.directory.resolve("ca.crt");
    }

    public Path serverCertificate() {
        return this.directory.resolve("server.crt");
    }

    public Path serverKey() {
        return this.directory.resolve("server.key");
    }

    public Path clientCertificate() {
        return this.directory.resolve("client.crt");
    }

    public Path clientKey() {
        return this.directory.resolve("client.key");
    }

    /** Deletes the files. */
    @Override
    public void close() {
        try (Stream<Path> paths = Files.walk(this.directory)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
        catch (IOException ex) {
            // a leftover temporary directory is harmless
        }
    }
}
