package io.flextime.streams.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.awaitility.Awaitility;

/**
 * A Redis Cluster of local {@code redis-server} processes: {@code masters} masters, each with
 * {@code replicasPerMaster} replicas, created with {@code redis-cli --cluster create} and ready when every node
 * reports {@code cluster_state:ok}. The node timeout is 2 s, so a killed master's replica takes over within
 * seconds.
 */
public final class RedisCluster implements AutoCloseable {

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

    private final List<RedisServer> servers;

    private RedisCluster(List<RedisServer> servers) {
        this.servers = servers;
    }

    public static RedisCluster start(int masters, int replicasPerMaster) {
        List<RedisServer> servers = new ArrayList<>();
        try {
            for (int i = 0; i < masters * (1 + replicasPerMaster); i++) {
                servers.add(RedisServer.startProcess(RedisServerOptions.defaults()
                        .argument("--cluster-enabled", "yes")
                        .argument("--cluster-config-file", "nodes.conf")
                        .argument("--cluster-node-timeout", "2000")));
            }
            List<String> create = new ArrayList<>(List.of("--cluster", "create"));
            servers.forEach(server -> create.add("127.0.0.1:" + server.port()));
            create.addAll(List.of("--cluster-replicas", String.valueOf(replicasPerMaster), "--cluster-yes"));
            RedisCli.run(servers.get(0).port(), create.toArray(String[]::new));
            RedisCluster cluster = new RedisCluster(servers);
            Awaitility.await("every replica attached").atMost(READY_TIMEOUT).pollInterval(Duration.ofMillis(200))
                    .until(() -> cluster.masters().size() == masters);
            cluster.awaitHealthy();
            return cluster;
        }
        catch (RuntimeException ex) {
            servers.forEach(RedisServer::close);
            throw ex;
        }
    }

    /**
     * Every live node sees all slots served, and every live replica has finished syncing with its master: a
     * replica that never synced is not allowed to take over, so a failover test must not start before.
     */
    public void awaitHealthy() {
        Awaitility.await("Redis Cluster healthy").atMost(READY_TIMEOUT).pollInterval(Duration.ofMillis(200))
                .until(() -> live().stream().allMatch(server -> {
                    String info = RedisCli.run(server.port(), "cluster", "info");
                    String replication = RedisCli.run(server.port(), "info", "replication");
                    return "ok".equals(RedisCli.field(info, "cluster_state"))
                            && "16384".equals(RedisCli.field(info, "cluster_slots_ok"))
                            && ("master".equals(RedisCli.field(replication, "role"))
                                    || "up".equals(RedisCli.field(replication, "master_link_status")));
                }));
    }

    /** {@code 127.0.0.1:port} of every node, as {@code spring.cloud.stream.redis.binder.cluster.nodes} takes them. */
    public List<String> nodes() {
        return this.servers.stream().map(server -> "127.0.0.1:" + server.port()).toList();
    }

    /** The live nodes whose role is master. */
    public List<RedisServer> masters() {
        return live().stream().filter(server -> "master".equals(role(server))).toList();
    }

    /** The port of the master serving {@code key}'s slot, asked of any live node. */
    public int masterPortOf(String key) {
        RedisServer any = live().get(0);
        String slot = RedisCli.run(any.port(), "cluster", "keyslot", key).trim();
        for (RedisServer master : masters()) {
            String nodes = RedisCli.run(master.port(), "cluster", "nodes");
            for (String line : nodes.lines().toList()) {
                String[] parts = line.split(" ");
                if (parts.length > 8 && parts[2].contains("myself") && servesSlot(parts, Integer.parseInt(slot))) {
                    return master.port();
                }
            }
        }
        throw new IllegalStateException("No master serves slot " + slot + " of '" + key + "'");
    }

    private static boolean servesSlot(String[] nodeLine, int slot) {
        for (int i = 8; i < nodeLine.length; i++) {
            String range = nodeLine[i];
            if (range.startsWith("[")) {
                continue;
            }
            String[] bounds = range.split("-");
            int low = Integer.parseInt(bounds[0]);
            int high = bounds.length > 1 ? Integer.parseInt(bounds[1]) : low;
            if (slot >= low && slot <= high) {
                return true;
            }
        }
        return false;
    }

    /**
     * Moves {@code key}'s slot, with its keys, to the master on {@code toPort}, as {@code redis-cli --cluster
     * reshard} does: the slot is marked importing and migrating, its keys go over with {@code MIGRATE} (clients
     * get {@code ASK} meanwhile), then every master learns the new owner (clients get {@code MOVED}).
     */
    public void moveSlot(String key, int toPort) {
        String slot = RedisCli.run(toPort, "cluster", "keyslot", key).trim();
        int fromPort = masterPortOf(key);
        String fromId = RedisCli.run(fromPort, "cluster", "myid").trim();
        String toId = RedisCli.run(toPort, "cluster", "myid").trim();
        RedisCli.run(toPort, "cluster", "setslot", slot, "importing", fromId);
        RedisCli.run(fromPort, "cluster", "setslot", slot, "migrating", toId);
        // Each round moves up to 100 keys; the test's slots hold a handful, so 100 rounds is far beyond need.
        for (int round = 0;; round++) {
            List<String> keys = RedisCli.run(fromPort, "cluster", "getkeysinslot", slot, "100").lines()
                    .filter(line -> !line.isBlank()).toList();
            if (keys.isEmpty()) {
                break;
            }
            if (round == 100) {
                throw new IllegalStateException("Slot " + slot + " still holds keys after 100 rounds of MIGRATE");
            }
            List<String> migrate = new ArrayList<>(List.of("migrate", "127.0.0.1", String.valueOf(toPort), "", "0",
                    "10000", "KEYS"));
            migrate.addAll(keys);
            RedisCli.run(fromPort, migrate.toArray(String[]::new));
        }
        RedisCli.run(toPort, "cluster", "setslot", slot, "node", toId);
        RedisCli.run(fromPort, "cluster", "setslot", slot, "node", toId);
        for (RedisServer master : masters()) {
            RedisCli.run(master.port(), "cluster", "setslot", slot, "node", toId);
        }
    }

    /** Kills a node with SIGKILL, as a crash would; its replica is promoted after the node timeout. */
    public void kill(RedisServer node) {
        node.kill();
    }

    private List<RedisServer> live() {
        return this.servers.stream().filter(server -> RespPing.answers(server.host(), server.port())).toList();
    }

    private static String role(RedisServer server) {
        return RedisCli.run(server.port(), "role").lines().findFirst().orElse("").trim();
    }

    @Override
    public void close() {
        this.servers.forEach(RedisServer::close);
    }
}
