package io.flextime.streams.binder;

import java.time.Duration;

import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;

import org.springframework.boot.integration.autoconfigure.IntegrationAutoConfiguration;
import org.springframework.cloud.stream.binder.AbstractTestBinder;
import org.springframework.cloud.stream.binder.ExtendedConsumerProperties;
import org.springframework.cloud.stream.binder.ExtendedProducerProperties;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.messaging.SubscribableChannel;

import io.flextime.streams.binder.connection.LettuceConnectionFactories;
import io.flextime.streams.binder.connection.RedisStreamsConnector;
import io.flextime.streams.binder.connection.StreamConnection;
import io.flextime.streams.binder.metrics.BinderMetrics;
import io.flextime.streams.binder.properties.RedisBinderConfigurationProperties;
import io.flextime.streams.binder.properties.RedisConsumerProperties;
import io.flextime.streams.binder.properties.RedisExtendedBindingProperties;
import io.flextime.streams.binder.properties.RedisProducerProperties;
import io.flextime.streams.binder.provisioning.RedisStreamProvisioner;
import io.flextime.streams.binder.support.StreamEntryCodec;
import io.flextime.streams.monitor.SlotKeys;
import io.flextime.streams.testing.RedisServer;
import tools.jackson.databind.json.JsonMapper;

import static java.nio.charset.StandardCharsets.UTF_8;

/** The binder wired by hand against a test Redis, for the framework's conformance suite. */
class RedisTestBinder extends
        AbstractTestBinder<RedisStreamMessageChannelBinder, ExtendedConsumerProperties<RedisConsumerProperties>, ExtendedProducerProperties<RedisProducerProperties>> {

    private final String prefix;

    private final RedisStreamsConnector connector;

    private final AnnotationConfigApplicationContext applicationContext;

    private final BinderMetrics metrics;

    RedisTestBinder(RedisServer redis, String prefix) {
        this(redis.uri().toString(), prefix);
    }

    /** Against any Redis URL, e.g. a {@code TcpProxy} in front of the test Redis. */
    RedisTestBinder(String redisUrl, String prefix) {
        this(redisUrl, prefix, Duration.ofSeconds(10));
    }

    /** With the binder's {@code command-timeout}, which its Lettuce client applies to every command. */
    RedisTestBinder(String redisUrl, String prefix, Duration commandTimeout) {
        this(null, redisUrl, prefix, commandTimeout);
    }

    /**
     * On an application's connection factory, with Spring Data's Lettuce defaults rather than the binder's own
     * (among them: commands sent but unanswered when the connection drops are sent again after it reconnects).
     * The binder closes it.
     */
    RedisTestBinder(LettuceConnectionFactory applicationFactory, String prefix) {
        this(applicationFactory, null, prefix, Duration.ofSeconds(10));
    }

    private RedisTestBinder(LettuceConnectionFactory applicationFactory, String redisUrl, String prefix,
            Duration commandTimeout) {
        this.prefix = prefix;
        RedisBinderConfigurationProperties properties = new RedisBinderConfigurationProperties();
        properties.setUrl(redisUrl);
        properties.setPrefix(prefix);
        properties.setCommandTimeout(commandTimeout);
        this.connector = new RedisStreamsConnector(applicationFactory != null ? applicationFactory
                : LettuceConnectionFactories.fromBinderProperties(properties), true, commandTimeout);
        this.metrics = new BinderMetrics(this.connector, null, Duration.ofMillis(100), Duration.ofMillis(200));
        RedisStreamMessageChannelBinder binder = new RedisStreamMessageChannelBinder(
                new RedisStreamProvisioner(this.connector, prefix), this.connector,
                new StreamEntryCodec(JsonMapper.builder().build()), properties, new RedisExtendedBindingProperties(),
                this.metrics);
        this.applicationContext = new AnnotationConfigApplicationContext(IntegrationAutoConfiguration.class);
        binder.setApplicationContext(this.applicationContext);
        setBinder(binder);
    }

    BinderMetrics metrics() {
        return this.metrics;
    }

    RedisStreamsConnector connector() {
        return this.connector;
    }

    AnnotationConfigApplicationContext applicationContext() {
        return this.applicationContext;
    }

    /** The error channel of the binding named {@code bindingName} (its properties' {@code populateBindingName}). */
    SubscribableChannel errorChannel(String bindingName) {
        return this.applicationContext.getBean(getBinder().getBinderIdentity() + "." + bindingName + ".errors",
                SubscribableChannel.class);
    }

    /**
     * Deletes every key under this binder's prefix, dead-letter streams and counters included, so tests never see
     * each other's streams.
     */
    @Override
    public void cleanup() {
        StreamConnection connection = this.connector.shared();
        ScanArgs match = ScanArgs.Builder.matches(SlotKeys.scanPattern(this.prefix)).limit(500);
        ScanCursor cursor = ScanCursor.INITIAL;
        do {
            KeyScanCursor<byte[]> page = connection.await(connection.async().scan(cursor, match));
            byte[][] under = page.getKeys().stream().filter(key -> SlotKeys.isUnder(this.prefix, new String(key, UTF_8)))
                    .toArray(byte[][]::new);
            if (under.length > 0) {
                connection.await(connection.async().del(under));
            }
            cursor = page;
        }
        while (!cursor.isFinished());
    }

    void close() {
        close(true);
    }

    /** Without the key cleanup, for a binder whose user may not {@code SCAN} or {@code DEL} (ACL tests). */
    void close(boolean deleteKeys) {
        this.metrics.close();
        if (deleteKeys) {
            cleanup();
        }
        this.applicationContext.close();
        this.connector.close();
    }

    String key(String destination) {
        return this.prefix + destination;
    }

    byte[] keyBytes(String destination) {
        return key(destination).getBytes(UTF_8);
    }
}
