package io.flextime.streams.binder.inbound;

import java.time.Duration;

import io.flextime.streams.binder.properties.RedisConsumerProperties;

/** What a reader needs of the consumer properties. */
record ReaderSettings(int count, Duration block, Duration claimMinIdle, Duration claimInterval, int maxDeliveries,
        Duration deadConsumerIdle, boolean batchMode) {

    static ReaderSettings of(RedisConsumerProperties properties, boolean batchMode) {
        return new ReaderSettings(properties.getCount(), properties.getBlock(), properties.getClaimMinIdle(),
                properties.getClaimInterval(), properties.getMaxDeliveries(), properties.getDeadConsumerIdle(), batchMode);
    }
}
