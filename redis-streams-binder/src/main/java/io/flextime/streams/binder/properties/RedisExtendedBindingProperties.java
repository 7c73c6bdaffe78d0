package io.flextime.streams.binder.properties;

import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.cloud.stream.binder.AbstractExtendedBindingProperties;
import org.springframework.cloud.stream.binder.BinderSpecificPropertiesProvider;

/**
 * Per-binding Redis settings, {@code spring.cloud.stream.redis.bindings.<binding>.consumer|producer.*},
 * with defaults for every binding under {@code spring.cloud.stream.redis.default.*}.
 */
@ConfigurationProperties("spring.cloud.stream.redis")
public class RedisExtendedBindingProperties extends
        AbstractExtendedBindingProperties<RedisConsumerProperties, RedisProducerProperties, RedisBindingProperties> {

    private static final String DEFAULTS_PREFIX = "spring.cloud.stream.redis.default";

    @Override
    public String getDefaultsPrefix() {
        return DEFAULTS_PREFIX;
    }

    public Map<String, RedisBindingProperties> getBindings() {
        return doGetBindings();
    }

    @Override
    public Class<? extends BinderSpecificPropertiesProvider> getExtendedPropertiesEntryClass() {
        return RedisBindingProperties.class;
    }
}
