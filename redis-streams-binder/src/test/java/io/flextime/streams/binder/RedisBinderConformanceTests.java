package io.flextime.streams.binder;

import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.cloud.stream.binder.ExtendedConsumerProperties;
import org.springframework.cloud.stream.binder.ExtendedProducerProperties;
import org.springframework.cloud.stream.binder.PartitionCapableBinderTests;
import org.springframework.cloud.stream.binder.Spy;

import io.flextime.streams.binder.properties.RedisConsumerProperties;
import io.flextime.streams.binder.properties.RedisProducerProperties;
import io.flextime.streams.testing.RedisServerExtension;

/**
 * Spring Cloud Stream's own binder conformance suite ({@link PartitionCapableBinderTests}), run against a
 * real Redis. Every inherited test runs; none is disabled.
 */
class RedisBinderConformanceTests extends
        PartitionCapableBinderTests<RedisTestBinder, ExtendedConsumerProperties<RedisConsumerProperties>, ExtendedProducerProperties<RedisProducerProperties>> {

    @RegisterExtension
    static final RedisServerExtension redis = new RedisServerExtension();

    @Override
    protected RedisTestBinder getBinder() {
        if (this.testBinder == null) {
            this.testBinder = new RedisTestBinder(redis.server(), "conformance-" + UUID.randomUUID() + ":");
        }
        return this.testBinder;
    }

    @AfterEach
    void closeBinder() {
        if (this.testBinder != null) {
            this.testBinder.close();
            this.testBinder = null;
        }
    }

    @Override
    protected ExtendedConsumerProperties<RedisConsumerProperties> createConsumerProperties() {
        ExtendedConsumerProperties<RedisConsumerProperties> properties =
                new ExtendedConsumerProperties<>(new RedisConsumerProperties());
        // Short BLOCK so that unbinding in these quick tests never waits long for an idle reader.
        properties.getExtension().setBlock(java.time.Duration.ofMillis(200));
        return properties;
    }

    @Override
    protected ExtendedProducerProperties<RedisProducerProperties> createProducerProperties(TestInfo testInfo) {
        return new ExtendedProducerProperties<>(new RedisProducerProperties());
    }

    /** Partition n is its own stream key, so the framework's partition selection decides exactly who receives what. */
    @Override
    protected boolean usesExplicitRouting() {
        return true;
    }

    @Override
    protected String getClassUnderTestName() {
        return RedisStreamMessageChannelBinder.class.getSimpleName();
    }

    @Override
    public Spy spyOn(String name) {
        throw new UnsupportedOperationException("No inherited test of PartitionCapableBinderTests uses spyOn");
    }
}
