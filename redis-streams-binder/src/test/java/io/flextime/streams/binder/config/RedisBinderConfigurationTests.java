package io.flextime.streams.binder.config;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.cloud.function.json.JacksonMapper;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.messaging.support.GenericMessage;

import io.flextime.streams.binder.properties.RedisBinderConfigurationProperties;
import io.flextime.streams.binder.support.StreamEntryCodec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/** Which connection and which JSON mapper the binder takes from the application. */
class RedisBinderConfigurationTests {

    /** Two factories and neither primary: the binder must not quietly connect to its own default, localhost:6379. */
    @Test
    void twoConnectionFactoriesWithoutAPrimaryOneAreRefusedWithTheWayOut() {
        StaticListableBeanFactory beans = new StaticListableBeanFactory();
        beans.addBean("orders", new LettuceConnectionFactory(new RedisStandaloneConfiguration("orders.example", 6379)));
        beans.addBean("cache", new LettuceConnectionFactory(new RedisStandaloneConfiguration("cache.example", 6379)));

        assertThatIllegalStateException()
                .isThrownBy(() -> new RedisBinderConfiguration().redisStreamsConnector(
                        new RedisBinderConfigurationProperties(), beans.getBeanProvider(RedisConnectionFactory.class),
                        beans.getBeanProvider(SslBundles.class)))
                .withMessageContaining("2 RedisConnectionFactory beans and none is @Primary")
                .withMessageContaining("spring.cloud.stream.redis.binder.url");
    }

    /** Settings only a connection of the binder's own would use are said to have no effect, not silently dropped. */
    @Test
    @ExtendWith(OutputCaptureExtension.class)
    void settingsThatOnlyTheBindersOwnConnectionUsesAreReportedAsIgnored(CapturedOutput output) {
        StaticListableBeanFactory beans = new StaticListableBeanFactory();
        beans.addBean("application", new LettuceConnectionFactory(new RedisStandaloneConfiguration("redis.example", 6379)));
        RedisBinderConfigurationProperties properties = new RedisBinderConfigurationProperties();
        properties.setClientName("orders-service");
        properties.setConnectTimeout(java.time.Duration.ofSeconds(3));

        new RedisBinderConfiguration().redisStreamsConnector(properties, beans.getBeanProvider(RedisConnectionFactory.class),
                beans.getBeanProvider(SslBundles.class));

        assertThat(output.getOut()).contains("[connect-timeout, client-name] set, but the binder uses the application's "
                + "connection factory");
    }
    /** Native payloads use Spring Cloud Function's Jackson mapper, so they are the JSON its converter writes. */
    @Test
    void nativePayloadsAreWrittenWithSpringCloudFunctionsMapper() {
        StaticListableBeanFactory beans = new StaticListableBeanFactory();
        beans.addBean("jsonMapper", new JacksonMapper(JsonMapper.builder()
                .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE).build()));

        StreamEntryCodec codec = new RedisBinderConfiguration().redisStreamEntryCodec(
                beans.getBeanProvider(org.springframework.cloud.function.json.JsonMapper.class),
                beans.getBeanProvider(ObjectMapper.class));

        assertThat(new String(codec.encode(new GenericMessage<>(new Reading("north", 2)))[1], StandardCharsets.UTF_8))
                .isEqualTo("{\"sensor_name\":\"north\",\"level\":2}");
    }

    /**
     * An isolated binder context sees no application beans: the binder's own mapper then reads as Spring Cloud
     * Function's would, tolerating unknown properties and nulls for primitives.
     */
    @Test
    void withoutSpringCloudFunctionsMapperNativePayloadsAreReadWithItsSettings() {
        StaticListableBeanFactory none = new StaticListableBeanFactory();

        StreamEntryCodec codec = new RedisBinderConfiguration().redisStreamEntryCodec(
                none.getBeanProvider(org.springframework.cloud.function.json.JsonMapper.class),
                none.getBeanProvider(ObjectMapper.class));

        Object read = codec.payloadReader(Reading.class).read("s", "1-0",
                "{\"sensorName\":\"south\",\"level\":null,\"addedLater\":true}".getBytes(StandardCharsets.UTF_8));
        assertThat(read).isEqualTo(new Reading("south", 0));
    }

    record Reading(String sensorName, int level) {
    }
}
