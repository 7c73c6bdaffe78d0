package io.flextime.streams.binder.properties;

import java.time.Duration;

import org.springframework.util.ClassUtils;

/** Redis-specific consumer settings: {@code spring.cloud.stream.redis.bindings.<binding>.consumer.*}. */
public class RedisConsumerProperties {

    /** Below this, the ownership refresh would come too often to be worth it, or too late to keep entries. */
    public static final Duration MIN_CLAIM_MIN_IDLE = Duration.ofMillis(300);

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

    /** Whether a message whose retries are exhausted goes to the dead-letter stream (and is then acknowledged). Off: it stays pending. */
    private boolean deadLetterEnabled = true;

    /**
     * One dead-letter stream key for all the binding's streams. Default: one per stream key (per partition),
     * {@code {<stream key>}.<group>.dlq}, in the stream's Redis Cluster hash slot.
     */
    private String deadLetterStream;

    /** Entries pending for longer than this under another consumer are taken over ({@code XAUTOCLAIM}); entries this reader holds are refreshed well within it. */
    private Duration claimMinIdle = Duration.ofMinutes(1);

    /** How often each reader looks for abandoned entries to claim. */
    private Duration claimInterval = Duration.ofSeconds(30);

    /** An entry delivered more often than this (a poison message that crashes the process) is dead-lettered without being handled again. */
    private int maxDeliveries = 10;

    /** Other consumers of the group idle for longer than this and with nothing pending are removed ({@code XGROUP DELCONSUMER}). */
    private Duration deadConsumerIdle = Duration.ofHours(1);

    /** {@code AUTO}: acknowledged when the handler returns. {@code MANUAL}: the handler acknowledges through the {@code acknowledgmentCallback} header. */
    private AcknowledgeMode acknowledgeMode = AcknowledgeMode.AUTO;

    /**
     * With the binding's {@code use-native-decoding: true}: the class the binder reads each JSON payload into
     * (the application's Spring Cloud Function mapper), in place of the framework's message conversion. Without
     * it, native decoding hands the handler the payload bytes.
     */
    private String payloadType;

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

    public boolean isDeadLetterEnabled() {
        return this.deadLetterEnabled;
    }

    public void setDeadLetterEnabled(boolean deadLetterEnabled) {
        this.deadLetterEnabled = deadLetterEnabled;
    }

    public String getDeadLetterStream() {
        return this.deadLetterStream;
    }

    public void setDeadLetterStream(String deadLetterStream) {
        this.deadLetterStream = deadLetterStream;
    }

    public Duration getClaimMinIdle() {
        return this.claimMinIdle;
    }

    public void setClaimMinIdle(Duration claimMinIdle) {
        this.claimMinIdle = claimMinIdle;
    }

    public Duration getClaimInterval() {
        return this.claimInterval;
    }

    public void setClaimInterval(Duration claimInterval) {
        this.claimInterval = claimInterval;
    }

    public int getMaxDeliveries() {
        return this.maxDeliveries;
    }

    public void setMaxDeliveries(int maxDeliveries) {
        this.maxDeliveries = maxDeliveries;
    }

    public Duration getDeadConsumerIdle() {
        return this.deadConsumerIdle;
    }

    public void setDeadConsumerIdle(Duration deadConsumerIdle) {
        this.deadConsumerIdle = deadConsumerIdle;
    }

    public AcknowledgeMode getAcknowledgeMode() {
        return this.acknowledgeMode;
    }

    public void setAcknowledgeMode(AcknowledgeMode acknowledgeMode) {
        this.acknowledgeMode = acknowledgeMode;
    }

    public String getPayloadType() {
        return this.payloadType;
    }

    public void setPayloadType(String payloadType) {
        this.payloadType = payloadType;
    }

    /**
     * How often the ownership of entries in hand is refreshed (a third of {@code claimMinIdle}); with
     * {@link #MIN_CLAIM_MIN_IDLE} at least every 100 ms, which keeps the refresh from becoming a busy loop.
     */
    public Duration ownershipRefreshPeriod() {
        return this.claimMinIdle.dividedBy(3);
    }

    /**
     * Refuses settings Redis would take and then misbehave with: {@code COUNT 0} means no limit, {@code BLOCK 0}
     * waits for ever, a claim interval of zero claims in a loop and never reads, a claim-min-idle of zero takes
     * entries live consumers are handling, a delivery limit below one dead-letters every recovered entry unhandled.
     * A {@code payload-type} without native decoding would be ignored, the framework converting the payload.
     * @param nativeDecoding the binding's {@code use-native-decoding}
     * @throws IllegalArgumentException naming the property and what it must be
     */
    public void validate(boolean nativeDecoding) {
        require(this.count >= 1, "count", this.count, "at least 1 (XREADGROUP COUNT 0 would mean no limit)");
        require(positive(this.block), "block", this.block, "positive (BLOCK 0 would wait for ever)");
        require(positive(this.claimInterval), "claim-interval", this.claimInterval, "positive");
        require(this.claimMinIdle != null && this.claimMinIdle.compareTo(MIN_CLAIM_MIN_IDLE) >= 0, "claim-min-idle",
                this.claimMinIdle, "at least " + MIN_CLAIM_MIN_IDLE.toMillis() + "ms (entries in hand are kept this "
                        + "consumer's by a refresh every third of it; less, and live consumers' entries get taken)");
        require(this.maxDeliveries >= 1, "max-deliveries", this.maxDeliveries, "at least 1");
        require(positive(this.deadConsumerIdle), "dead-consumer-idle", this.deadConsumerIdle, "positive");
        require(this.shutdownTimeout != null && !this.shutdownTimeout.isNegative(), "shutdown-timeout",
                this.shutdownTimeout, "zero or more");
        if (this.payloadType != null) {
            require(nativeDecoding, "payload-type", this.payloadType, "set only with the binding's consumer property "
                    + "use-native-decoding: true (without it the framework converts the payload, into the handler's type)");
            require(ClassUtils.isPresent(this.payloadType, null), "payload-type", this.payloadType,
                    "the name of a class on the class path");
        }
    }

    private static boolean positive(Duration duration) {
        return duration != null && !duration.isNegative() && !duration.isZero();
    }

    private static void require(boolean valid, String property, Object value, String expected) {
        if (!valid) {
            throw new IllegalArgumentException("Redis consumer property '" + property + "' must be " + expected + ", got "
                    + value);
        }
    }
}
