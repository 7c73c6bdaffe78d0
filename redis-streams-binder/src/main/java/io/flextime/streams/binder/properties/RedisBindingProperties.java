package io.flextime.streams.binder.properties;

import org.springframework.boot.context.properties.NestedConfigurationProperty;
import org.springframework.cloud.stream.binder.BinderSpecificPropertiesProvider;

/** The Redis part of one binding: {@code spring.cloud.stream.redis.bindings.<binding>.*}. */
public class RedisBindingProperties implements BinderSpecificPropertiesProvider {

    @NestedConfigurationProperty
    private RedisConsumerProperties consumer = new RedisConsumerProperties();

    @NestedConfigurationProperty
    private RedisProducerProperties producer = new RedisProducerProperties();

    @Override
    public RedisConsumerProperties getConsumer() {
        return this.consumer;
    }

    public void setConsumer(RedisConsumerProperties consumer) {
        this.consumer = consumer;
    }

    @Override
    public RedisProducerProperties getProducer() {
        return this.producer;
    }

    public void setProducer(RedisProducerProperties producer) {
        this.producer = producer;
    }
}
