package io.flextime.streams.testing;

import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.utility.DockerImageName;

/** A Testcontainers Redis, used only where no redis-server binary exists but Docker does. */
final class ContainerRedisServer implements RedisServer {

    private static final DockerImageName IMAGE = DockerImageName.parse("redis:7.0");

    private final GenericContainer<?> container;

    private ContainerRedisServer(GenericContainer<?> container) {
        this.container = container;
    }

    static boolean dockerAvailable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        }
        catch (RuntimeException | LinkageError ex) {
            return false;
        }
    }

    static ContainerRedisServer start() {
        GenericContainer<?> container = new GenericContainer<>(IMAGE).withExposedPorts(6379);
        container.start();
        return new ContainerRedisServer(container);
    }

    @Override
    public String host() {
        return this.container.getHost();
    }

    @Override
    public int port() {
        return this.container.getMappedPort(6379);
    }

    @Override
    public boolean supportsFaults() {
        return false;
    }

    @Override
    public String faultsUnsupportedReason() {
        return "a Testcontainers Redis gets a new port when restarted; fault tests need a local redis-server binary";
    }

    @Override
    public void stop() {
        throw new UnsupportedOperationException(faultsUnsupportedReason());
    }

    @Override
    public void kill() {
        throw new UnsupportedOperationException(faultsUnsupportedReason());
    }

    @Override
    public void restart() {
        throw new UnsupportedOperationException(faultsUnsupportedReason());
    }

    @Override
    public void close() {
        this.container.stop();
    }
}
