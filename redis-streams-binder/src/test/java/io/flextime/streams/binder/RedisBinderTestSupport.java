package io.flextime.streams.binder;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.lettuce.core.Range;
import io.lettuce.core.StreamMessage;

import org.springframework.cloud.stream.binder.Binding;
import org.springframework.cloud.stream.binder.ExtendedConsumerProperties;
import org.springframework.cloud.stream.binder.ExtendedProducerProperties;
import org.springframework.integration.channel.DirectChannel;
import org.springframework.messaging.Message;
import org.springframework.messaging.MessageChannel;

import io.flextime.streams.binder.connection.StreamConnection;
import io.flextime.streams.binder.properties.RedisConsumerProperties;
import io.flextime.streams.binder.properties.RedisProducerProperties;

import static java.nio.charset.StandardCharsets.UTF_8;

/** Raw Redis reads and writes, and binding helpers, shared by the binder-level tests. */
final class RedisBinderTestSupport {

    private final RedisTestBinder binder;

    private final StreamConnection redis;

    RedisBinderTestSupport(RedisTestBinder binder) {
        this.binder = binder;
        this.redis = binder.connector().shared();
    }

    Binding<MessageChannel> bindConsumer(String destination, String group, java.util.function.Consumer<Message<?>> handler,
            ExtendedConsumerProperties<RedisConsumerProperties> properties) {
        DirectChannel input = new DirectChannel();
        input.subscribe(handler::accept);
        return this.binder.getBinder().bindConsumer(destination, group, input, properties);
    }

    String xadd(String destinationOrKey, boolean isKey, String... fieldsAndValues) {
        Object[] bytes = new Object[fieldsAndValues.length];
        for (int i = 0; i < fieldsAndValues.length; i++) {
            bytes[i] = fieldsAndValues[i].getBytes(UTF_8);
        }
        byte[] key = isKey ? destinationOrKey.getBytes(UTF_8) : this.binder.keyBytes(destinationOrKey);
        return this.redis.await(this.redis.async().xadd(key, bytes));
    }

    List<Map<String, String>> entries(String key) {
        return this.redis.await(this.redis.async().xrange(key.getBytes(UTF_8), Range.create("-", "+"))).stream()
                .map(RedisBinderTestSupport::fields).toList();
    }

    long pendingCount(String key, String group) {
        return this.redis.await(this.redis.async().xpending(key.getBytes(UTF_8), group.getBytes(UTF_8))).getCount();
    }

    StreamConnection redis() {
        return this.redis;
    }

    static Map<String, String> fields(StreamMessage<byte[], byte[]> entry) {
        Map<String, String> fields = new HashMap<>();
        fields.put("id", entry.getId());
        entry.getBody().forEach((k, v) -> fields.put(new String(k, UTF_8), new String(v, UTF_8)));
        return fields;
    }

    static ExtendedProducerProperties<RedisProducerProperties> producerProperties() {
        return new ExtendedProducerProperties<>(new RedisProducerProperties());
    }

    static ExtendedConsumerProperties<RedisConsumerProperties> consumerProperties() {
        ExtendedConsumerProperties<RedisConsumerProperties> properties =
                new ExtendedConsumerProperties<>(new RedisConsumerProperties());
        properties.getExtension().setBlock(Duration.ofMillis(200));
        properties.setBackOffInitialInterval(10);
        properties.setBackOffMaxInterval(20);
        return properties;
    }
}
