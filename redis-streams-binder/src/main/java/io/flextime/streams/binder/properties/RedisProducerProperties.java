package io.flextime.streams.binder.properties;

import java.time.Duration;

/** Redis-specific producer settings: {@code spring.cloud.stream.redis.bindings.<binding>.producer.*}. */
public class RedisProducerProperties {

    /**
     * Wait for Redis to confirm each {@code XADD}. The caller then sees failures as exceptions. Otherwise sends
     * are pipelined and failures go to the binding's error channel.
     */
    private boolean sync;

    /**
     * How long a synchronous send waits for Redis, a sender waits for an in-flight slot, and a stopping producer
     * waits for its pipelined sends' replies. At least 1 ms.
     */
    private Duration sendTimeout = Duration.ofSeconds(10);

    /** Trim the stream to about this many entries on every {@code XADD} ({@code MAXLEN ~}). Unset: no length limit. */
    private Long maxLength;

    /** Trim entries older than this on every {@code XADD} ({@code MINID ~ <now - maxAge>}, now by Redis' clock). Unset: no age limit. Cannot be combined with maxLength. */
    private Duration maxAge;

    /** Use {@code ~} (approximate, cheap) trimming. Exact trimming costs more CPU in Redis. */
    private boolean approximateTrimming = true;

    /** Bean name of a channel that receives each stored message with the record id header, sync or pipelined. */
    private String recordMetadataChannel;

    /** Most pipelined sends awaiting Redis' reply; a sender blocks when this many are outstanding, so memory stays bounded. */
    private int maxInFlight = 10_000;

    /**
     * Replicas that must confirm each send ({@code WAIT} after each batch of sends) before it counts as sent, so that
     * a master failing over right after its reply does not take the message with it. 0: the master's reply is
     * enough. A send that too few replicas confirm within waitTimeout fails, though the master has stored it (sending
     * it again stores it twice). Not on Redis Cluster.
     */
    private int waitReplicas;

    /**
     * How long the WAIT after a batch of sends waits for waitReplicas to confirm them; at least 1 ms. The binder
     * lengthens its connection's timeout to cover it; a sync send still gives up after sendTimeout.
     */
    private Duration waitTimeout = Duration.ofSeconds(1);

    public boolean isSync() {
        return this.sync;
    }

    public void setSync(boolean sync) {
        this.sync = sync;
    }

    public Duration getSendTimeout() {
        return this.sendTimeout;
    }

    public void setSendTimeout(Duration sendTimeout) {
        this.sendTimeout = sendTimeout;
    }

    public Long getMaxLength() {
        return this.maxLength;
    }

    public void setMaxLength(Long maxLength) {
        this.maxLength = maxLength;
    }

    public Duration getMaxAge() {
        return this.maxAge;
    }

    public void setMaxAge(Duration maxAge) {
        this.maxAge = maxAge;
    }

    public boolean isApproximateTrimming() {
        return this.approximateTrimming;
    }

    public void setApproximateTrimming(boolean approximateTrimming) {
        this.approximateTrimming = approximateTrimming;
    }

    public String getRecordMetadataChannel() {
        return this.recordMetadataChannel;
    }

    public void setRecordMetadataChannel(String recordMetadataChannel) {
        this.recordMetadataChannel = recordMetadataChannel;
    }

    public int getMaxInFlight() {
        return this.maxInFlight;
    }

    public void setMaxInFlight(int maxInFlight) {
        this.maxInFlight = maxInFlight;
    }

    public int getWaitReplicas() {
        return this.waitReplicas;
    }

    public void setWaitReplicas(int waitReplicas) {
        this.waitReplicas = waitReplicas;
    }

    public Duration getWaitTimeout() {
        return this.waitTimeout;
    }

    public void setWaitTimeout(Duration waitTimeout) {
        this.waitTimeout = waitTimeout;
    }
}
