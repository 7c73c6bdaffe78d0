package io.flextime.streams.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.awaitility.Awaitility;

/**
 * A master, one replica and three sentinels, all local {@code redis-server} processes, watching the master
 * under {@link #MASTER_NAME} with a quorum of 2. Ready when every sentinel knows the replica and the other
 * sentinels, so a {@link #failover()} can promote the replica at once.
 */
public final class RedisSentinels implements AutoCloseable {

    public static final String MASTER_NAME = "flextime";

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

    private final List<RedisServer> dataNodes = new ArrayList<>();

    private final List<RedisServer> sentinels = new ArrayList<>();

    private RedisSentinels() {
    }

    public static RedisSentinels start() {
        RedisSentinels setup = new RedisSentinels();
        try {
            RedisServer master = RedisServer.startProcess(RedisServerOptions.defaults());
            setup.dataNodes.add(master);
            RedisServer replica = RedisServer.startProcess(RedisServerOptions.defaults()
                    .argument("--replicaof", "127.0.0.1", String.valueOf(master.port())));
            setup.dataNodes.add(replica);
            Awaitility.await("replica in sync").atMost(READY_TIMEOUT).pollInterval(Duration.ofMillis(100))
                    .until(() -> "up".equals(RedisCli.field(RedisCli.run(replica.port(), "info", "replication"),
                            "master_link_status")));
            for (int i = 0; i < 3; i++) {
                setup.sentinels.add(RedisServer.startProcess(RedisServerOptions.defaults()
                        .configFile(sentinelConfig(master.port())).argument("--sentinel")));
            }
            setup.awaitSentinelsAgree();
            return setup;
        }
        catch (RuntimeException ex) {
            setup.close();
            throw ex;
        }
    }

    /** A config file of its own for each sentinel: Sentinel rewrites it with what it learns. */
    private static Path sentinelConfig(int masterPort) {
        try {
            Path file = Files.createTempFile("sentinel-", ".conf");
            Files.writeString(file, String.join("\n",
                    "sentinel monitor " + MASTER_NAME + " 127.0.0.1 " + masterPort + " 2",
                    "sentinel down-after-milliseconds " + MASTER_NAME + " 2000",
                    "sentinel failover-timeout " + MASTER_NAME + " 10000",
                    "sentinel parallel-syncs " + MASTER_NAME + " 1", ""));
            file.toFile().deleteOnExit();
            return file;
        }
        catch (IOException ex) {
            throw new UncheckedIOException("Cannot write a sentinel config file", ex);
        }
    }

    private void awaitSentinelsAgree() {
        Awaitility.await("sentinels see the replica and each other").atMost(READY_TIMEOUT)
                .pollInterval(Duration.ofMillis(200))
                .until(() -> this.sentinels.stream().allMatch(sentinel -> {
                    String master = RedisCli.run(sentinel.port(), "sentinel", "master", MASTER_NAME);
                    return master.contains("num-slaves\n1") && master.contains("num-other-sentinels\n2");
                }));
    }

    /** {@code 127.0.0.1:port} of each sentinel, as {@code spring.cloud.stream.redis.binder.sentinel.nodes} takes them. */
    public List<String> sentinelNodes() {
        return this.sentinels.stream().map(sentinel -> "127.0.0.1:" + sentinel.port()).toList();
    }

    /** The master's port as the first sentinel reports it. */
    public int masterPort() {
        List<String> address = RedisCli.run(this.sentinels.get(0).port(), "sentinel", "get-master-addr-by-name",
                MASTER_NAME).lines().toList();
        return Integer.parseInt(address.get(1).trim());
    }

    /** Sends {@code SENTINEL FAILOVER} and returns at once with the current master's port. */
    public int startFailover() {
        int before = masterPort();
        RedisCli.run(this.sentinels.get(0).port(), "sentinel", "failover", MASTER_NAME);
        return before;
    }

    /**
     * Returns the new master's port as soon as every sentinel names it. The old master is not yet a replica then:
     * Sentinel reconfigures it only after it has gone on reporting itself master for 8 s.
     */
    public int awaitSwitchFrom(int oldMasterPort) {
        Awaitility.await("sentinels naming a master other than port " + oldMasterPort).atMost(READY_TIMEOUT)
                .pollInterval(Duration.ofMillis(20))
                .until(() -> this.sentinels.stream().allMatch(sentinel -> {
                    List<String> address = RedisCli.run(sentinel.port(), "sentinel", "get-master-addr-by-name",
                            MASTER_NAME).lines().toList();
                    return address.size() == 2 && Integer.parseInt(address.get(1).trim()) != oldMasterPort;
                }));
        return masterPort();
    }

    /** Whether the server on {@code port} reports itself a master. */
    public boolean isMaster(int port) {
        return RedisCli.run(port, "role").startsWith("master");
    }

    /**
     * Returns the new master's port once every sentinel names it, it accepts writes, and the old master has become
     * its replica. Until then the old master may still take writes, which its resync then discards.
     */
    public int awaitFailoverFrom(int oldMasterPort) {
        int newMaster = awaitSwitchFrom(oldMasterPort);
        Awaitility.await("port " + oldMasterPort + " turned into a replica").atMost(READY_TIMEOUT)
                .pollInterval(Duration.ofMillis(100))
                .until(() -> isMaster(newMaster) && RedisCli.run(oldMasterPort, "role").startsWith("slave"));
        return newMaster;
    }

    @Override
    public void close() {
        this.sentinels.forEach(RedisServer::close);
        this.dataNodes.forEach(RedisServer::close);
    }
}
