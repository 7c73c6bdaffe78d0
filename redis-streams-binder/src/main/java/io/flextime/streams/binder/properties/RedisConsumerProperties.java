package io.flextime.streams.binder.properties;

import java.time.Duration;

/** Redis-specific consumer settings: {@code spring.cloud.stream.redis.bindings.<binding>.consumer.*}. */
public class RedisConsumerProperties {

    /** Most entries one {@code XREADGROUP} returns ({@code COUNT}). */
    private int count = 100;

    /** How long one {@code XREADGROUP} waits for new entries ({@code BLOCK}). Also bounds how long a stop waits for an idle reader. */
    private Duration block = Duration.ofSeconds(1);

    /**
     * Base consumer name within the group. Each reader thread appends {@code -<n>}. It must be stable
     * across restarts so a restarted instance finds its own pending entries; the default is
     * {@code <host name>-<instanceIndex>}.
     */
    private String consumerName;

    /** Where a group that does not exist yet starts. Anonymous (group-less) bindings always start at the end. */
    private StartOffset startOffset = StartOffset.EARLIEST;

    /** How long a stop waits for in-flight handlers to finish and their acknowledgements to be written. */
    private Duration shutdownTimeout = Duration.ofSeconds(10);

    public int getCount() {
        return this.count;
    }

    public void setCount(int count) {
        this.count = count;
    }

    public Duration getBlock() {
        return this.block;
    }

    public void setBlock(Duration block) {
        this.block = block;
    }

    public String getConsumerName() {
        return this.consumerName;
    }

    public void setConsumerName(String consumerName) {
        this.consumerName = consumerName;
    }

    public StartOffset getStartOffset() {
        return this.startOffset;
    }

    public void setStartOffset(StartOffset startOffset) {
        this.startOffset = startOffset;
    }

    public Duration getShutdownTimeout() {
        return this.shutdownTimeout;
    }

    public void setShutdownTimeout(Duration shutdownTimeout) {
        this.shutdownTimeout = shutdownTimeout;
    }
}
