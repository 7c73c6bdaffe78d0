package io.flextime.streams.binder.config;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import io.flextime.streams.binder.properties.RedisBinderConfigurationProperties;

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
}
