package io.flextime.streams.binder.properties;

import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.NestedConfigurationProperty;
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

    /**
     * Settings for every binding without its own. The framework reads {@code spring.cloud.stream.redis.default.*}
     * itself; this property exists so that the configuration metadata lists them for IDE completion.
     */
    private final RedisBindingProperties defaults = new RedisBindingProperties();

    @Override
    public String getDefaultsPrefix() {
        return DEFAULTS_PREFIX;
    }

    @NestedConfigurationProperty
    public RedisBindingProperties getDefault() {
        return this.defaults;
    }

    public Map<String, RedisBindingProperties> getBindings() {
        return doGetBindings();
    }

    @Override
    public Class<? extends BinderSpecificPropertiesProvider> getExtendedPropertiesEntryClass() {
        return RedisBindingProperties.class;
    }
}
