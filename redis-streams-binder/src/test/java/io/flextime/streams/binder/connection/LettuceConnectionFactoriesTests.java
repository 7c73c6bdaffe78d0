package io.flextime.streams.binder.connection;

import java.util.List;

import io.lettuce.core.cluster.ClusterClientOptions;
import org.junit.jupiter.api.Test;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import io.flextime.streams.binder.properties.RedisBinderConfigurationProperties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/** Wrong connection settings fail when the binder starts, naming the property; right ones build the right factory. */
class LettuceConnectionFactoriesTests {

    @Test
    void clusterNodesMakeAClusterFactoryWithTheUrlsCredentials() {
        RedisBinderConfigurationProperties properties = new RedisBinderConfigurationProperties();
        properties.setUrl("redis://ops:s3cret@ignored:1");
        properties.getCluster().setNodes(List.of("r1:7000", "r2:7001"));
        properties.getCluster().setMaxRedirects(3);
        LettuceConnectionFactory factory = LettuceConnectionFactories.fromBinderProperties(properties);
        try {
            assertThat(factory.isClusterAware()).isTrue();
            assertThat(factory.getClusterConfiguration().getClusterNodes()).hasSize(2);
            assertThat(factory.getClusterConfiguration().getMaxRedirects()).isEqualTo(3);
            assertThat(factory.getClusterConfiguration().getUsername()).isEqualTo("ops");
            assertThat(factory.getClientConfiguration().getClientOptions()).get()
                    .satisfies(options -> assertThat(((ClusterClientOptions) options).getTopologyRefreshOptions()
                            .isPeriodicRefreshEnabled()).isTrue());
        }
        finally {
            factory.destroy();
        }
    }

    @Test
    void sentinelSettingsMakeASentinelFactory() {
        RedisBinderConfigurationProperties properties = new RedisBinderConfigurationProperties();
        properties.getSentinel().setMaster("flextime");
        properties.getSentinel().setNodes(List.of("s1:26379", "s2:26379"));
        properties.setDatabase(2);
        LettuceConnectionFactory factory = LettuceConnectionFactories.fromBinderProperties(properties);
        try {
            assertThat(factory.isRedisSentinelAware()).isTrue();
            assertThat(factory.getSentinelConfiguration().getMaster().getName()).isEqualTo("flextime");
            assertThat(factory.getSentinelConfiguration().getDatabase()).isEqualTo(2);
        }
        finally {
            factory.destroy();
        }
    }

    @Test
    void contradictoryOrMalformedSettingsAreRefusedWithThePropertyName() {
        RedisBinderConfigurationProperties both = new RedisBinderConfigurationProperties();
        both.getCluster().setNodes(List.of("r1:7000"));
        both.getSentinel().setMaster("flextime");
        assertThatIllegalStateException().isThrownBy(() -> LettuceConnectionFactories.fromBinderProperties(both))
                .withMessageContaining("either cluster.nodes or sentinel.master");

        RedisBinderConfigurationProperties database = new RedisBinderConfigurationProperties();
        database.getCluster().setNodes(List.of("r1:7000"));
        database.setDatabase(1);
        assertThatIllegalStateException().isThrownBy(() -> LettuceConnectionFactories.fromBinderProperties(database))
                .withMessageContaining("only database 0");

        RedisBinderConfigurationProperties malformed = new RedisBinderConfigurationProperties();
        malformed.getCluster().setNodes(List.of("r1"));
        assertThatIllegalStateException().isThrownBy(() -> LettuceConnectionFactories.fromBinderProperties(malformed))
                .withMessageContaining("cluster.nodes: 'r1' is not host:port");

        RedisBinderConfigurationProperties noSentinels = new RedisBinderConfigurationProperties();
        noSentinels.getSentinel().setMaster("flextime");
        assertThatIllegalStateException().isThrownBy(() -> LettuceConnectionFactories.fromBinderProperties(noSentinels))
                .withMessageContaining("sentinel.nodes is empty");
    }
}
