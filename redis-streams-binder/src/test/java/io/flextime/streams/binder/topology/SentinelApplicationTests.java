package io.flextime.streams.binder.topology;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.lettuce.core.Range;
import io.lettuce.core.RedisClient;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.api.StatefulRedisConnection;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.cloud.stream.binder.PollableMessageSource;
import org.springframework.cloud.stream.function.StreamBridge;
import org.springframework.context.ConfigurableApplicationContext;

import io.flextime.streams.binder.topology.TopologyApp.HandledOrders;
import io.flextime.streams.binder.topology.TopologyApp.Order;
import io.flextime.streams.testing.RedisSentinels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The binder behind Redis Sentinel ({@code sentinel.master} and {@code sentinel.nodes}): a master, a replica
 * and three sentinels, and a {@code SENTINEL FAILOVER} in the middle of the stream.
 */
class SentinelApplicationTests {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private RedisSentinels sentinels;

    private ConfigurableApplicationContext app;

    @BeforeEach
    void start() {
        this.sentinels = RedisSentinels.start();
        this.app = new SpringApplicationBuilder(TopologyApp.class).web(WebApplicationType.NONE)
                .properties("spring.config.name=topology")
                .run("--spring.cloud.stream.redis.binder.sentinel.master=" + RedisSentinels.MASTER_NAME,
                        "--spring.cloud.stream.redis.binder.sentinel.nodes=" + String.join(",", this.sentinels.sentinelNodes()),
                        "--spring.jmx.enabled=false",
                        // A pollable source on the same stream, in its own group: it must follow the switch too.
                        "--spring.cloud.stream.pollable-source=polled",
                        "--spring.cloud.stream.bindings.polled-in-0.destination=orders",
                        "--spring.cloud.stream.bindings.polled-in-0.group=pollers");
    }

    @AfterEach
    void stop() {
        this.app.close();
        this.sentinels.close();
    }

    /**
     * Sends go on while the replica is promoted. Until Sentinel turns the old master into a replica, that master
     * still acknowledges writes, and its resync from the new master then discards them: replication is
     * asynchronous. So every acknowledged send must either be handled or be missing from the new master; the
     * test prints how many went missing. Sends after the failover all reach the new master and are handled.
     */
    @Test
    void aForcedFailoverMidStreamMovesProducersAndConsumersToTheNewMaster() {
        HandledOrders handled = this.app.getBean(HandledOrders.class);
        StreamBridge bridge = this.app.getBean(StreamBridge.class);
        List<String> acknowledged = new ArrayList<>();
        int oldMaster = this.sentinels.masterPort();
        for (int i = 0; i < 400; i++) {
            acknowledged.add(TopologyApp.sendUntilAcknowledged(bridge, new Order("order-" + i, "c")));
            if (i == 200) {
                this.sentinels.startFailover();
            }
        }
        int newMaster = this.sentinels.awaitFailoverFrom(oldMaster);

        Set<String> onNewMaster = idsOn(newMaster);
        List<String> survived = acknowledged.stream().filter(onNewMaster::contains).toList();
        await().atMost(TIMEOUT).until(() -> handled.containsAll(survived));
        System.out.printf("Sentinel failover: %d sends acknowledged, %d lost to asynchronous replication%n",
                acknowledged.size(), acknowledged.size() - survived.size());
        List<String> after = new ArrayList<>();
        for (int i = 1000; i < 1100; i++) {
            bridge.send("orders-out", new Order("order-" + i, "c"));
            after.add("order-" + i);
        }
        await().atMost(TIMEOUT).until(() -> handled.containsAll(after));
        assertThat(idsOn(newMaster)).containsAll(after);
    }

    /**
     * The binder hears {@code +switch-master} and moves every connection to the new master at once, while the
     * old master, which Sentinel demotes only after 8 s, would still take (and later discard) writes.
     */
    @Test
    void theBinderLeavesTheOldMasterAsSoonAsSentinelSwitches() {
        StreamBridge bridge = this.app.getBean(StreamBridge.class);
        bridge.send("orders-out", new Order("before", "c"));
        PollableMessageSource polled = this.app.getBean("polled-in-0", PollableMessageSource.class);
        Set<String> polledIds = ConcurrentHashMap.newKeySet();
        await().atMost(TIMEOUT).until(() -> pollOnce(polled, polledIds) && polledIds.contains("before"));
        int oldMaster = this.sentinels.masterPort();
        assertThat(binderClientsOn(oldMaster)).isPositive();

        this.sentinels.startFailover();
        int newMaster = this.sentinels.awaitSwitchFrom(oldMaster);

        await().atMost(TIMEOUT).until(() -> binderClientsOn(oldMaster) == 0);
        assertThat(this.sentinels.isMaster(oldMaster)).as("the old master is not demoted yet").isTrue();
        List<String> after = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            after.add(TopologyApp.sendUntilAcknowledged(bridge, new Order("after-" + i, "c")));
        }
        assertThat(idsOn(newMaster)).containsAll(after);
        await().atMost(TIMEOUT).until(() -> this.app.getBean(HandledOrders.class).containsAll(after));
        await().atMost(TIMEOUT).ignoreExceptions().until(() -> {
            pollOnce(polled, polledIds);
            return polledIds.containsAll(after);
        });
    }

    private static boolean pollOnce(PollableMessageSource source, Set<String> ids) {
        return source.poll(message -> ids.add(TopologyApp.orderId(new String((byte[]) message.getPayload(),
                java.nio.charset.StandardCharsets.UTF_8))));
    }

    /** Connections named as the binder names its own ({@code client-name}). */
    private static long binderClientsOn(int port) {
        RedisClient client = RedisClient.create("redis://127.0.0.1:" + port);
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            return connection.sync().clientList().lines().filter(line -> line.contains(" name=scst-redis-binder ")).count();
        }
        finally {
            client.shutdown();
        }
    }

    private static Set<String> idsOn(int port) {
        RedisClient client = RedisClient.create("redis://127.0.0.1:" + port);
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            Set<String> ids = new HashSet<>();
            for (StreamMessage<String, String> entry : connection.sync().xrange("topology:orders", Range.create("-", "+"))) {
                ids.add(TopologyApp.orderId(entry.getBody().get("payload")));
            }
            return ids;
        }
        finally {
            client.shutdown();
        }
    }
}
