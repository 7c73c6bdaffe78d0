package io.flextime.streams.binder.properties;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Binder-wide settings: how to reach Redis, and the key prefix of every stream the binder touches.
 *
 * <p>The connection settings are used only when no {@code RedisConnectionFactory} is visible to the
 * binder. In a single-binder application that is Spring Boot's own (configured with
 * {@code spring.data.redis.*}) whenever {@code spring-boot-starter-data-redis} is present. In a
 * multi-binder set-up the binder runs in an isolated child context and builds its own from these.
 */
@ConfigurationProperties(prefix = "spring.cloud.stream.redis.binder")
public class RedisBinderConfigurationProperties {

    /** Prefix of every stream key: destination {@code orders} becomes key {@code <prefix>orders}. */
    private String prefix = "";

    /**
     * Connection URL, e.g. {@code redis://user:secret@host:6379/0} or {@code rediss://...}. Overrides host, port,
     * username, password, database and ssl; with {@code cluster.nodes} or {@code sentinel.master} only its
     * credentials, database and scheme are used.
     */
    private String url;

    /** Redis host; {@code localhost} when neither this, {@code port} nor {@code url} is set. */
    private String host;

    /** Redis port; 6379 when unset. */
    private Integer port;

    /** ACL user name (Redis 6+). */
    private String username;

    /** Password (with {@code username} for ACL users, alone for {@code requirepass}). */
    private String password;

    /** Database index; 0 when unset. */
    private Integer database;

    /** Whether to use TLS; off when unset. */
    private Boolean ssl;

    /**
     * Name of a Spring Boot SSL bundle ({@code spring.ssl.bundle.jks.<name>} or {@code .pem.<name>}) with the
     * trust store and, for mutual TLS, the client certificate. Setting it turns TLS on.
     */
    private String sslBundle;

    /** Redis Cluster: set {@code nodes} and the binder connects to the cluster instead of one server. */
    private final Cluster cluster = new Cluster();

    /** Redis Sentinel: set {@code master} and {@code nodes} and the binder asks the sentinels where the master is. */
    private final Sentinel sentinel = new Sentinel();

    /** How long to wait for a TCP connection to Redis. */
    private Duration connectTimeout = Duration.ofSeconds(10);

    /** How long a non-blocking command may take before it fails. */
    private Duration commandTimeout = Duration.ofSeconds(30);

    /** Client name shown by {@code CLIENT LIST}, to tell binder connections apart. */
    private String clientName = "scst-redis-binder";

    /**
     * Whether sends and deliveries are Micrometer observations (spans and {@code traceparent} propagation with
     * Micrometer Tracing). Off by default, as in the Kafka and Rabbit binders: with Actuator present, each
     * observation also records timers, which costs about half of the binder's own work per message.
     */
    private boolean enableObservation;

    public boolean isEnableObservation() {
        return this.enableObservation;
    }

    public void setEnableObservation(boolean enableObservation) {
        this.enableObservation = enableObservation;
    }

    public String getPrefix() {
        return this.prefix;
    }

    public void setPrefix(String prefix) {
        this.prefix = prefix == null ? "" : prefix;
    }

    public String getUrl() {
        return this.url;
    }

    public void setUrl(String url) {
        this.url = url;
    }

    public String getHost() {
        return this.host;
    }

    public void setHost(String host) {
        this.host = host;
    }

    public Integer getPort() {
        return this.port;
    }

    public void setPort(Integer port) {
        this.port = port;
    }

    /**
     * The settings here that only a connection factory of the binder's own uses, given other values than their
     * defaults: with the application's factory they have no effect (it has its own, under spring.data.redis).
     */
    public List<String> ownFactoryOnlySettings() {
        RedisBinderConfigurationProperties defaults = new RedisBinderConfigurationProperties();
        List<String> set = new ArrayList<>();
        if (!Objects.equals(defaults.connectTimeout, this.connectTimeout)) {
            set.add("connect-timeout");
        }
        if (!Objects.equals(defaults.clientName, this.clientName)) {
            set.add("client-name");
        }
        if (!Objects.equals(defaults.cluster.getMaxRedirects(), this.cluster.getMaxRedirects())) {
            set.add("cluster.max-redirects");
        }
        if (!Objects.equals(defaults.cluster.getRefreshPeriod(), this.cluster.getRefreshPeriod())) {
            set.add("cluster.refresh-period");
        }
        if (!Objects.equals(defaults.sentinel.getNodes(), this.sentinel.getNodes())) {
            set.add("sentinel.nodes");
        }
        if (!Objects.equals(defaults.sentinel.getUsername(), this.sentinel.getUsername())
                || !Objects.equals(defaults.sentinel.getPassword(), this.sentinel.getPassword())) {
            set.add("sentinel.username/password");
        }
        return set;
    }

    /**
     * Whether any connection setting is given here, i.e. the binder must connect on its own rather than reuse
     * the application's factory (which would silently ignore these settings).
     */
    public boolean isConnectionConfigured() {
        return this.url != null || this.host != null || this.port != null || this.username != null
                || this.password != null || this.database != null || this.ssl != null || this.sslBundle != null
                || !this.cluster.getNodes().isEmpty() || this.sentinel.getMaster() != null;
    }

    public String getSslBundle() {
        return this.sslBundle;
    }

    public void setSslBundle(String sslBundle) {
        this.sslBundle = sslBundle;
    }

    public Cluster getCluster() {
        return this.cluster;
    }

    public Sentinel getSentinel() {
        return this.sentinel;
    }

    public String getUsername() {
        return this.username;
    }

    public void setUsername(String username) {
        this.username = username;
    }

    public String getPassword() {
        return this.password;
    }

    public void setPassword(String password) {
        this.password = password;
    }

    public Integer getDatabase() {
        return this.database;
    }

    public void setDatabase(Integer database) {
        this.database = database;
    }

    public Boolean getSsl() {
        return this.ssl;
    }

    public void setSsl(Boolean ssl) {
        this.ssl = ssl;
    }

    public Duration getConnectTimeout() {
        return this.connectTimeout;
    }

    public void setConnectTimeout(Duration connectTimeout) {
        this.connectTimeout = connectTimeout;
    }

    public Duration getCommandTimeout() {
        return this.commandTimeout;
    }

    public void setCommandTimeout(Duration commandTimeout) {
        this.commandTimeout = commandTimeout;
    }

    public String getClientName() {
        return this.clientName;
    }

    public void setClientName(String clientName) {
        this.clientName = clientName;
    }

    /** Connection to a Redis Cluster; {@code username}, {@code password} and TLS settings apply to every node. */
    public static class Cluster {

        /** Seed nodes as {@code host:port}; Lettuce discovers the rest of the cluster from them. */
        private List<String> nodes = new ArrayList<>();

        /** How many {@code MOVED}/{@code ASK} redirects a command may follow; Lettuce's default (5) when unset. */
        private Integer maxRedirects;

        /**
         * How often the cluster topology is re-read even when nothing signals a change. Redirects, reconnects and
         * unknown nodes trigger a refresh at once (adaptive refresh); this bounds how long a promoted replica goes
         * unnoticed while the dead master's connection is still reconnecting. Each refresh asks every node for
         * {@code CLUSTER NODES}.
         */
        private Duration refreshPeriod = Duration.ofSeconds(5);

        public List<String> getNodes() {
            return this.nodes;
        }

        public void setNodes(List<String> nodes) {
            this.nodes = nodes;
        }

        public Integer getMaxRedirects() {
            return this.maxRedirects;
        }

        public void setMaxRedirects(Integer maxRedirects) {
            this.maxRedirects = maxRedirects;
        }

        public Duration getRefreshPeriod() {
            return this.refreshPeriod;
        }

        public void setRefreshPeriod(Duration refreshPeriod) {
            this.refreshPeriod = refreshPeriod;
        }
    }

    /** Connection through Redis Sentinel; {@code username}, {@code password} and {@code database} apply to the master. */
    public static class Sentinel {

        /** The master's name as the sentinels know it ({@code sentinel monitor <name> ...}). */
        private String master;

        /** Sentinels as {@code host:port}. */
        private List<String> nodes = new ArrayList<>();

        /** ACL user for the sentinels themselves, when they require one. */
        private String username;

        /** Password for the sentinels themselves, when they require one. */
        private String password;

        public String getMaster() {
            return this.master;
        }

        public void setMaster(String master) {
            this.master = master;
        }

        public List<String> getNodes() {
            return this.nodes;
        }

        public void setNodes(List<String> nodes) {
            this.nodes = nodes;
        }

        public String getUsername() {
            return this.username;
        }

        public void setUsername(String username) {
            this.username = username;
        }

        public String getPassword() {
            return this.password;
        }

        public void setPassword(String password) {
            this.password = password;
        }
    }
}
