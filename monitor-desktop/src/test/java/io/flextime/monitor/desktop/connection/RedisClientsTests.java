package io.flextime.monitor.desktop.connection;

import io.lettuce.core.RedisURI;
import org.junit.jupiter.api.Test;

import io.flextime.monitor.desktop.connection.ConnectionSettings.Topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/** How the desktop addresses a master behind Sentinel (no server needed: this is about the URI). */
class RedisClientsTests {

    @Test
    void sentinelsAreReachedWithTheDataNodesTlsSetting() {
        for (boolean tls : new boolean[] { true, false }) {
            RedisURI uri = RedisClients.sentinelUri(new ConnectionSettings("ignored", 0, "monitor", "secret", 2, tls,
                    "flextime:stream:", Topology.SENTINEL, "s1:26379, s2:26380", "flextime", null));

            assertThat(uri.getSentinelMasterId()).isEqualTo("flextime");
            assertThat(uri.getDatabase()).isEqualTo(2);
            assertThat(uri.isSsl()).isEqualTo(tls);
            assertThat(uri.getSentinels()).extracting(RedisURI::getHost, RedisURI::getPort)
                    .containsExactly(tuple("s1", 26379),
                            tuple("s2", 26380));
            assertThat(uri.getSentinels()).allSatisfy(sentinel -> assertThat(sentinel.isSsl()).isEqualTo(tls));
        }
    }
}
