package io.flextime.streams.binder.inbound;

import java.util.Map;

import org.springframework.integration.IntegrationMessageHeaderAccessor;
import org.springframework.integration.acks.AcknowledgmentCallback;

import io.flextime.streams.binder.support.RedisStreamHeaders;

/** Who read an entry: the stream key, the group and the consumer name within it. */
public record ReaderIdentity(String stream, String group, String consumer) {

    /** The headers every message this reader delivers carries: its group and consumer name. */
    public Map<String, Object> headers() {
        return Map.of(RedisStreamHeaders.GROUP, this.group, RedisStreamHeaders.CONSUMER, this.consumer);
    }

    /** {@link #headers()} plus the callback through which the application settles the entry. */
    public Map<String, Object> headers(AcknowledgmentCallback callback) {
        return Map.of(RedisStreamHeaders.GROUP, this.group, RedisStreamHeaders.CONSUMER, this.consumer,
                IntegrationMessageHeaderAccessor.ACKNOWLEDGMENT_CALLBACK, callback);
    }

    @Override
    public String toString() {
        return "stream '" + this.stream + "', group '" + this.group + "', consumer '" + this.consumer + "'";
    }
}
