package io.flextime.streams.binder.config;

import java.time.Duration;
import java.util.List;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.cfg.MapperBuilder;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.cloud.function.json.JacksonMapper;
import org.springframework.cloud.stream.binder.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import io.flextime.streams.binder.RedisStreamMessageChannelBinder;
import io.flextime.streams.binder.connection.LettuceConnectionFactories;
import io.flextime.streams.binder.connection.RedisStreamsConnector;
import io.flextime.streams.binder.metrics.BinderMetrics;
import io.flextime.streams.binder.outbound.PipelinedSendsDrain;
import io.flextime.streams.binder.properties.RedisBinderConfigurationProperties;
import io.flextime.streams.binder.properties.RedisExtendedBindingProperties;
import io.flextime.streams.binder.provisioning.RedisStreamProvisioner;
import io.flextime.streams.binder.support.JsonPayloads;
import io.flextime.streams.binder.support.StreamEntryCodec;

/**
 * The binder's configuration, named in {@code META-INF/spring.binders}. Spring Cloud Stream loads it into
 * the binder's own child context.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnMissingBean(Binder.class)
@EnableConfigurationProperties({ RedisBinderConfigurationProperties.class, RedisExtendedBindingProperties.class })
@Import(RedisBinderHealthIndicatorConfiguration.class)
public class RedisBinderConfiguration {

    private static final Log logger = LogFactory.getLog(RedisBinderConfiguration.class);

    /**
     * Uses the application's Lettuce connection factory when one is visible and the binder's own connection
     * properties are not set; otherwise (always in an isolated multi-binder context) builds one from
     * {@code spring.cloud.stream.redis.binder.*}.
     */
    @Bean(destroyMethod = "close")
    RedisStreamsConnector redisStreamsConnector(RedisBinderConfigurationProperties properties,
            ObjectProvider<RedisConnectionFactory> visibleFactories, ObjectProvider<SslBundles> sslBundles) {
        RedisConnectionFactory visible = visibleFactories.getIfUnique();
        long candidates = visible == null && !properties.isConnectionConfigured() ? visibleFactories.stream().count() : 0;
        if (candidates > 1) {
            // Not a silent fall-back to the binder's defaults (localhost:6379): the application meant one of them.
            throw new IllegalStateException("The application has " + candidates + " RedisConnectionFactory beans and "
                    + "none is @Primary, so the Redis Streams binder cannot tell which to use. Mark one @Primary, or "
                    + "set spring.cloud.stream.redis.binder.url for a connection of the binder's own.");
        }
        if (visible != null && !properties.isConnectionConfigured()) {
            if (!(visible instanceof LettuceConnectionFactory lettuce)) {
                throw new IllegalStateException("The Redis Streams binder needs Lettuce, but the application's "
                        + "RedisConnectionFactory is a " + visible.getClass().getName() + ". Use Lettuce (Spring Boot's "
                        + "default), or set spring.cloud.stream.redis.binder.url so the binder connects on its own.");
            }
            List<String> ignored = properties.ownFactoryOnlySettings();
            if (!ignored.isEmpty()) {
                logger.warn("spring.cloud.stream.redis.binder " + ignored + " set, but the binder uses the application's "
                        + "connection factory, which has its own settings (spring.data.redis.*): they have no effect. "
                        + "Set them there, or give the binder its own connection with spring.cloud.stream.redis.binder.url");
            }
            return new RedisStreamsConnector(lettuce, false, properties.getCommandTimeout());
        }
        return new RedisStreamsConnector(LettuceConnectionFactories.fromBinderProperties(properties,
                sslBundles.getIfAvailable()), true, properties.getCommandTimeout());
    }

    /**
     * Headers with a mapper of the binder's own (their format must not change with the application's Jackson
     * settings); native payloads with the mapper of Spring Cloud Function's JSON converter, so a binding that
     * encodes or decodes natively writes and reads the JSON the framework's conversion would.
     */
    @Bean
    StreamEntryCodec redisStreamEntryCodec(ObjectProvider<org.springframework.cloud.function.json.JsonMapper> functionMapper,
            ObjectProvider<ObjectMapper> applicationMapper) {
        return new StreamEntryCodec(JsonMapper.builder().build(), new JsonPayloads(payloadMapper(functionMapper, applicationMapper)));
    }

    /**
     * Spring Cloud Function's mapper when it is a Jackson one. Otherwise (an isolated binder context of a
     * multi-binder application sees no application beans; or the application prefers Gson) the application's
     * Jackson mapper if visible, else a plain one, with the three deserialization and serialization features off
     * that Spring Cloud Function turns off too (not its Joda and Kotlin modules).
     */
    private static ObjectMapper payloadMapper(ObjectProvider<org.springframework.cloud.function.json.JsonMapper> functionMapper,
            ObjectProvider<ObjectMapper> applicationMapper) {
        if (functionMapper.getIfUnique() instanceof JacksonMapper jackson) {
            return jackson.getObjectMapper();
        }
        ObjectMapper application = applicationMapper.getIfUnique();
        MapperBuilder<?, ?> builder = application != null ? application.rebuild() : JsonMapper.builder();
        return builder.configure(SerializationFeature.FAIL_ON_EMPTY_BEANS, false)
                .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
                .configure(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES, false)
                .build();
    }

    @Bean
    RedisStreamProvisioner redisStreamProvisioner(RedisStreamsConnector connector,
            RedisBinderConfigurationProperties properties) {
        return new RedisStreamProvisioner(connector, properties.getPrefix());
    }

    /** Uses the application's meter registry when there is one (Actuator), so the meters show in /actuator/metrics. */
    @Bean(destroyMethod = "close")
    BinderMetrics redisStreamsBinderMetrics(RedisStreamsConnector connector, ObjectProvider<MeterRegistry> registry,
            ObjectProvider<PipelinedSendsDrain> drain) {
        BinderMetrics metrics = new BinderMetrics(connector, registry.getIfUnique(), Duration.ofSeconds(1),
                Duration.ofSeconds(10));
        drain.ifUnique(found -> found.register(metrics));
        return metrics;
    }

    @Bean
    RedisStreamMessageChannelBinder redisStreamMessageChannelBinder(RedisStreamProvisioner provisioner,
            RedisStreamsConnector connector, StreamEntryCodec codec, RedisBinderConfigurationProperties properties,
            RedisExtendedBindingProperties extendedBindingProperties, BinderMetrics metrics,
            ObjectProvider<ObservationRegistry> observations, ObjectProvider<PipelinedSendsDrain> drain) {
        RedisStreamMessageChannelBinder binder = new RedisStreamMessageChannelBinder(provisioner, connector, codec,
                properties, extendedBindingProperties, metrics);
        // Found in the application context (the binder's parent), where it stops before the connection factory.
        drain.ifUnique(binder::setDrain);
        if (properties.isEnableObservation()) {
            binder.setObservations(observations.getIfUnique(() -> ObservationRegistry.NOOP));
        }
        return binder;
    }
}
