package io.flextime.streams.binder;

import org.springframework.beans.DirectFieldAccessor;
import org.springframework.cloud.stream.binder.Binding;

import io.flextime.streams.binder.inbound.RedisStreamInboundChannelAdapter;

/** Reaches into a binding for what only tests need to see. */
final class TestBindings {

    private TestBindings() {
    }

    static RedisStreamInboundChannelAdapter adapter(Binding<?> binding) {
        return (RedisStreamInboundChannelAdapter) new DirectFieldAccessor(binding).getPropertyValue("lifecycle");
    }
}
