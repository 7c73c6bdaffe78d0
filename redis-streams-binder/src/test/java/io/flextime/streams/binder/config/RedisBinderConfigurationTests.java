package io.flextime.streams.binder.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import io.flextime.streams.binder.properties.RedisBinderConfigurationProperties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/** Which connection the binder takes from the application. */
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
}
