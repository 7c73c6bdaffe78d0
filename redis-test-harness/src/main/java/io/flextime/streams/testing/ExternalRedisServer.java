package io.flextime.streams.testing;

import java.net.URI;

/** A server named by {@code REDIS_URL}. The test does not own it, so it cannot fault it. */
final class ExternalRedisServer implements RedisServer {

    private final URI uri;

    ExternalRedisServer(URI uri) {
        this.uri = uri;
    }

    @Override
    public String host() {
        return this.uri.getHost();
    }

    @Override
    public int port() {
        return this.uri.getPort() > 0 ? this.uri.getPort() : 6379;
    }

    @Override
    public URI uri() {
        return this.uri;
    }

    @Override
    public boolean supportsFaults() {
        return false;
    }

    @Override
    public String faultsUnsupportedReason() {
        return "REDIS_URL points at a server this test does not own; fault tests need a redis-server the test starts";
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
        // not ours to stop
    }
}
