package io.flextime.streams.testing;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One Redis server per test class:
 * {@code @RegisterExtension static final RedisServerExtension redis = new RedisServerExtension();}.
 */
public final class RedisServerExtension implements BeforeAllCallback, AfterAllCallback {

    private final RedisServerOptions options;

    private RedisServer server;

    public RedisServerExtension() {
        this(RedisServerOptions.defaults());
    }

    public RedisServerExtension(RedisServerOptions options) {
        this.options = options;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        this.server = RedisServer.start(this.options);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (this.server != null) {
            this.server.close();
        }
    }

    public RedisServer server() {
        if (this.server == null) {
            throw new IllegalStateException("The Redis server starts in beforeAll; register the extension as a static field");
        }
        return this.server;
    }
}
