package io.flextime.streams.binder.topology;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.stream.IntStream;

import io.lettuce.core.Range;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.cloud.stream.function.StreamBridge;
import org.springframework.context.ConfigurableApplicationContext;

import io.flextime.streams.binder.topology.TopologyApp.HandledOrders;
import io.flextime.streams.binder.topology.TopologyApp.Order;
import io.flextime.streams.monitor.ClusterRefresh;
import io.flextime.streams.monitor.MonitorSnapshot;
import io.flextime.streams.monitor.SnapshotCollector;
import io.flextime.streams.monitor.StreamAdmin;
import io.flextime.streams.monitor.StreamSnapshot;
import io.flextime.streams.monitor.TextConnection;
import io.flextime.streams.testing.RedisCluster;
import io.flextime.streams.testing.RedisServer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The binder on a 3-master Redis Cluster with a replica per master, configured the way a user would:
 * {@code spring.cloud.stream.redis.binder.cluster.nodes}. The destination has 6 partitions; its name is one
 * whose partition keys hash onto all three masters' slot ranges, which the first test checks.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterApplicationTests {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private static final String PREFIX = "topology:";

    /** The test's own clients re-read the topology as the binder's do, so they too follow a failover. */
    private static final ClusterClientOptions REFRESHING = ClusterClientOptions.builder()
            .topologyRefreshOptions(ClusterRefresh.options(Duration.ofSeconds(1))).build();

    private static RedisCluster cluster;

    private ConfigurableApplicationContext app;

    private RedisClusterClient client;

    private StatefulRedisClusterConnection<String, String> redis;

    @BeforeAll
    static void startCluster() {
        cluster = RedisCluster.start(3, 1);
    }

    @AfterAll
    static void stopCluster() {
        cluster.close();
    }

    @BeforeEach
    void start() {
        this.app = new SpringApplicationBuilder(TopologyApp.class).web(WebApplicationType.NONE)
                .properties("spring.config.name=topology")
                .profiles("partitioned")
                .run("--spring.cloud.stream.redis.binder.cluster.nodes=" + String.join(",", cluster.nodes()),
                        "--spring.jmx.enabled=false");
        this.client = RedisClusterClient.create(seeds());
        this.client.setOptions(REFRESHING);
        this.redis = this.client.connect();
    }

    @AfterEach
    void stop() {
        this.app.close();
        for (String key : partitionKeys()) {
            this.redis.sync().del(key, "{" + key + "}.billing.dlq", "{" + key + "}.billing.counters");
        }
        this.redis.close();
        this.client.shutdown();
    }

    @Test
    void partitionsSpreadOverEveryMasterAndMessagesFlowAndAreDeadLetteredInTheirPartitionsSlot() {
        List<String> partitionKeys = partitionKeys();
        List<String> ids = send(0, 120);
        List<String> poison = new ArrayList<>();
        StreamBridge bridge = this.app.getBean(StreamBridge.class);
        for (int i = 0; i < 12; i++) {
            poison.add("poison-" + i);
            bridge.send("orders-out", new Order("poison-" + i, TopologyApp.POISON));
        }

        HandledOrders handled = this.app.getBean(HandledOrders.class);
        await().atMost(TIMEOUT).until(() -> handled.containsAll(ids));
        await().atMost(TIMEOUT).until(() -> deadLetterCount(partitionKeys) == poison.size());

        Set<Integer> mastersWithPartitions = new HashSet<>();
        partitionKeys.forEach(key -> mastersWithPartitions.add(cluster.masterPortOf(key)));
        assertThat(mastersWithPartitions).hasSize(3);
        for (String key : partitionKeys) {
            assertThat(this.redis.sync().xlen(key)).as("entries in %s", key).isPositive();
            String deadLetters = "{" + key + "}.billing.dlq";
            assertThat(SlotHash.getSlot(deadLetters)).as("slot of %s", deadLetters).isEqualTo(SlotHash.getSlot(key));
            assertThat(this.redis.sync().xrange(deadLetters, Range.create("-", "+")))
                    .allSatisfy(letter -> assertThat(letter.getBody())
                            .containsEntry("dlq_originalStream", key)
                            .containsEntry("dlq_group", "billing"));
            assertThat(this.redis.sync().xpending(key, "billing").getCount()).as("pending in %s", key).isZero();
            assertThat(this.redis.sync().xinfoConsumers(key, "billing")).as("consumers of %s", key).hasSize(1);
        }

        // Replay goes to each letter's own master (its commands are sent with a byte codec, routed by key).
        try (StreamAdmin admin = StreamAdmin.open(this.client, TIMEOUT)) {
            for (String key : partitionKeys) {
                String deadLetters = "{" + key + "}.billing.dlq";
                long letters = this.redis.sync().xlen(deadLetters);
                StreamAdmin.ReplayResult result = admin.replayDeadLetters(deadLetters, 100, "");
                assertThat(result.skipped()).as("skipped in %s", deadLetters).isEmpty();
                assertThat(result.replayed()).as("replayed from %s", deadLetters).hasSize((int) letters)
                        .allSatisfy(replayed -> {
                            assertThat(replayed.stream()).isEqualTo(key);
                            assertThat(this.redis.sync().xrange(key, Range.create(replayed.newId(), replayed.newId())))
                                    .singleElement().satisfies(entry -> assertThat(entry.getBody())
                                            .doesNotContainKey("dlq_originalStream"));
                        });
            }
        }
    }

    @Test
    void theMonitorScansEveryMasterAndSeesEveryPartitionAndDeadLetterStream() {
        List<String> ids = send(0, 60);
        StreamBridge bridge = this.app.getBean(StreamBridge.class);
        bridge.send("orders-out", new Order("poison-a", TopologyApp.POISON));
        await().atMost(TIMEOUT).until(() -> this.app.getBean(HandledOrders.class).containsAll(ids));

        awaitMonitorPass(snapshot -> {
            assertThat(snapshot.streams().stream().filter(stream -> !stream.deadLetter()).map(StreamSnapshot::name))
                    .containsExactlyInAnyOrder("orders-0", "orders-1", "orders-2", "orders-3", "orders-4", "orders-5");
            assertThat(snapshot.streams().stream().filter(StreamSnapshot::deadLetter).map(StreamSnapshot::name))
                    .singleElement().satisfies(name -> assertThat(name).matches("\\{orders-[0-5]}\\.billing\\.dlq"));
            long total = snapshot.streams().stream().filter(stream -> !stream.deadLetter())
                    .mapToLong(StreamSnapshot::length).sum();
            assertThat(total).isEqualTo(61);
            assertThat(snapshot.streams()).filteredOn(stream -> !stream.deadLetter())
                    .allSatisfy(stream -> assertThat(stream.groups()).singleElement()
                            .satisfies(group -> assertThat(group.counters().processed() + group.counters().failed())
                                    .isEqualTo(stream.length())));
        });
    }

    /** Until {@code assertions} pass on a pass of the monitor, through its own client as the desktop's. */
    private static void awaitMonitorPass(Consumer<MonitorSnapshot> assertions) {
        RedisClusterClient monitorClient = RedisClusterClient.create(seeds());
        monitorClient.setOptions(REFRESHING);
        try (TextConnection connection = TextConnection.open(monitorClient)) {
            SnapshotCollector collector = new SnapshotCollector(connection.async(), PREFIX, Clock.systemUTC(),
                    Duration.ofSeconds(10));
            await().atMost(TIMEOUT).untilAsserted(() -> assertions.accept(collector.collect()));
        }
        finally {
            monitorClient.shutdown();
        }
    }

    /**
     * Moves partition 0's slot, with the stream, its group and its dead-letter stream, to another master while a
     * producer keeps sending: producers follow {@code ASK} during the migration and {@code MOVED} after it, and
     * the reader, whose blocked read ends when the key leaves, reads on from the new owner.
     */
    @Test
    void movingAPartitionsSlotToAnotherMasterMidStreamIsFollowed() {
        HandledOrders handled = this.app.getBean(HandledOrders.class);
        StreamBridge bridge = this.app.getBean(StreamBridge.class);
        String key = PREFIX + "orders-0";
        int from = cluster.masterPortOf(key);
        int to = cluster.masters().stream().mapToInt(RedisServer::port).filter(port -> port != from).findFirst()
                .orElseThrow();
        List<String> sent = new ArrayList<>(send(0, 100));
        AtomicBoolean moved = new AtomicBoolean();
        // Sends until the move is over and 100 more have gone to the new owner, so some go out during it.
        CompletableFuture<List<String>> producer = CompletableFuture.supplyAsync(() -> {
            List<String> ids = new ArrayList<>();
            int afterMove = 0;
            for (int i = 100; !moved.get() || afterMove < 100; i++) {
                boolean duringMove = !moved.get();
                ids.add(TopologyApp.sendUntilAcknowledged(bridge, new Order("order-" + i, "c")));
                afterMove += duringMove ? 0 : 1;
            }
            return ids;
        });

        cluster.moveSlot(key, to);
        moved.set(true);
        sent.addAll(producer.join());

        assertThat(cluster.masterPortOf(key)).isEqualTo(to);
        await().atMost(TIMEOUT).until(() -> handled.containsAll(sent));
        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(this.redis.sync().xpending(key, "billing").getCount())
                .isZero());
    }

    /**
     * On a cluster a blocked read runs on the connection to its key's master, not where the cluster connection
     * sends commands without a key. A stop's {@code CLIENT UNBLOCK} must reach that connection, or the stop waits
     * for the read's whole {@code BLOCK} (here a minute, cut short by a 3 s shutdown timeout and its warning).
     */
    @Test
    @ExtendWith(OutputCaptureExtension.class)
    void aStopEndsABlockedReadOnItsKeysMasterAtOnce(CapturedOutput output) {
        ConfigurableApplicationContext longBlocks = new SpringApplicationBuilder(TopologyApp.class)
                .web(WebApplicationType.NONE).properties("spring.config.name=topology")
                .run("--spring.cloud.stream.redis.binder.cluster.nodes=" + String.join(",", cluster.nodes()),
                        "--spring.jmx.enabled=false", "--spring.cloud.stream.redis.binder.client-name=long-blocks",
                        "--spring.cloud.stream.bindings.orderSink-in-0.group=long-blocks",
                        "--spring.cloud.stream.redis.default.consumer.block=60s",
                        "--spring.cloud.stream.redis.default.consumer.shutdown-timeout=3s");
        int masterPort = cluster.masterPortOf(PREFIX + "orders");
        RedisServer master = cluster.masters().stream().filter(node -> node.port() == masterPort).findFirst().orElseThrow();
        RedisClient nodeClient = RedisClient.create(RedisURI.create(master.host(), master.port()));
        try (StatefulRedisConnection<String, String> node = nodeClient.connect()) {
            await().atMost(TIMEOUT).until(() -> blockedReads(node, "long-blocks") == 1);

            CompletableFuture<Void> closed = CompletableFuture.runAsync(longBlocks::close);

            await().atMost(TIMEOUT).until(closed::isDone);
            assertThat(output.getOut()).doesNotContain("did not finish within");
            assertThat(blockedReads(node, "long-blocks")).isZero();
        }
        finally {
            nodeClient.shutdown();
            // Other tests here expect the partition streams alone.
            this.redis.sync().del(PREFIX + "orders");
        }
    }

    private static long blockedReads(StatefulRedisConnection<String, String> node, String clientName) {
        return node.sync().clientList().lines()
                .filter(line -> line.contains(" name=" + clientName + " ") && line.contains(" cmd=xreadgroup "))
                .count();
    }

    /**
     * Kills the master of partition 0 while orders are flowing. Its replica is promoted after the node timeout,
     * and the binder carries on. Every send that returned is an acknowledged XADD. Each one is accounted for:
     * it was handled, or it is missing from the promoted replica because replication is asynchronous. The test
     * prints how many were lost that way. Consumers and producers must both resume on the new master.
     */
    @Test
    // Last: the cluster is shared, and after this test one master is dead and its slots have no replica.
    @org.junit.jupiter.api.Order(Integer.MAX_VALUE)
    void killingAMasterPromotesItsReplicaAndProcessingResumesWithEveryAcknowledgedSendAccountedFor() {
        HandledOrders handled = this.app.getBean(HandledOrders.class);
        StreamBridge bridge = this.app.getBean(StreamBridge.class);
        List<String> acknowledged = new ArrayList<>(send(0, 200));
        int victimPort = cluster.masterPortOf(PREFIX + "orders-0");
        cluster.kill(cluster.masters().stream().filter(master -> master.port() == victimPort).findFirst().orElseThrow());

        // Sends routed to the dead master fail until its replica takes over and the topology is refreshed; each
        // is retried until Redis acknowledges it.
        for (int i = 200; i < 400; i++) {
            acknowledged.add(TopologyApp.sendUntilAcknowledged(bridge, new Order("order-" + i, "c")));
        }
        cluster.awaitHealthy();
        this.client.refreshPartitions();

        Set<String> inStreams = idsInStreams();
        List<String> survived = acknowledged.stream().filter(inStreams::contains).toList();
        await().atMost(TIMEOUT).until(() -> handled.containsAll(survived));
        System.out.printf("Cluster failover: %d sends acknowledged, %d lost to asynchronous replication%n",
                acknowledged.size(), acknowledged.size() - survived.size());
        List<String> afterFailover = send(1000, 100);
        await().atMost(TIMEOUT).until(() -> handled.containsAll(afterFailover));

        // The dead master stays in the topology, flagged failed, without slots: the monitor's pass skips it (a
        // cluster-wide SCAN would visit it and fail every pass) and still sees every partition.
        awaitMonitorPass(snapshot -> assertThat(snapshot.streams()).filteredOn(stream -> !stream.deadLetter())
                .hasSize(6));
    }

    private static List<RedisURI> seeds() {
        return cluster.nodes().stream().map(node -> RedisURI.create("redis://" + node)).toList();
    }

    private List<String> send(int from, int count) {
        StreamBridge bridge = this.app.getBean(StreamBridge.class);
        List<String> ids = new ArrayList<>();
        for (int i = from; i < from + count; i++) {
            String id = "order-" + i;
            bridge.send("orders-out", new Order(id, "c"));
            ids.add(id);
        }
        return ids;
    }

    /** Ids of the orders in the partition streams, read from the payloads. */
    private Set<String> idsInStreams() {
        Set<String> ids = new HashSet<>();
        for (String key : partitionKeys()) {
            for (StreamMessage<String, String> entry : this.redis.sync().xrange(key, Range.create("-", "+"))) {
                ids.add(TopologyApp.orderId(entry.getBody().get("payload")));
            }
        }
        return ids;
    }

    private static List<String> partitionKeys() {
        return IntStream.range(0, 6).mapToObj(partition -> PREFIX + "orders-" + partition).toList();
    }

    private long deadLetterCount(List<String> partitionKeys) {
        return partitionKeys.stream().mapToLong(key -> this.redis.sync().xlen("{" + key + "}.billing.dlq")).sum();
    }

}
