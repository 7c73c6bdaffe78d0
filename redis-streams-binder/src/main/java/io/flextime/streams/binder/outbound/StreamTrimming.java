package io.flextime.streams.binder.outbound;

import java.util.function.LongSupplier;

import io.lettuce.core.XAddArgs;

import io.flextime.streams.binder.properties.RedisProducerProperties;
import io.flextime.streams.monitor.StreamIds;

/**
 * One producer's {@code XADD} trimming: {@code MAXLEN}, {@code MINID} by age, or none.
 *
 * <p>Trimming by age takes "now" from Redis' clock, never from this host's. Entry ids are Redis' milliseconds,
 * and with a host clock ahead of Redis' by more than {@code maxAge} every {@code XADD} would trim every entry,
 * unread ones included. Redis' time is learnt from the ids its {@code XADD} replies carry (no extra round trip)
 * and carried forward with this host's monotonic clock, which no clock adjustment moves. An id tells when Redis
 * added the entry, a little before its reply arrived, so the time carried forward lags Redis' clock by up to
 * a round trip: {@code MINID} errs towards keeping entries. Until the first reply, {@code XADD}s go out
 * without {@code MINID}; the first one after it trims whatever they left. One per stream key: on a Redis
 * Cluster a partitioned producer's keys live on nodes whose clocks may differ.
 */
final class StreamTrimming {

    /** Shared by every send that trims by length, or not at all: nothing in it changes. */
    private final XAddArgs fixed;

    private final long maxAgeMillis;

    private final boolean approximate;

    private final LongSupplier monotonicMillis;

    /** Redis' clock minus the monotonic clock, from the latest reply; valid once {@link #clockKnown}. */
    private volatile long redisOffsetMillis;

    /** The milliseconds of the latest id: {@code MINID} never goes past it (see {@link #args()}). */
    private volatile long lastIdMillis;

    private volatile boolean clockKnown;

    StreamTrimming(RedisProducerProperties properties, LongSupplier monotonicMillis) {
        if (properties.getMaxLength() != null && properties.getMaxAge() != null) {
            throw new IllegalArgumentException("Set either maxLength or maxAge on a Redis producer, not both: "
                    + "XADD trims by one of MAXLEN or MINID");
        }
        // XADD MAXLEN 0 keeps nothing, and MINID at or after now deletes the entry just added: Redis accepts both
        // and the messages are gone. Leave the setting out for no limit.
        if (properties.getMaxLength() != null && properties.getMaxLength() < 1) {
            throw new IllegalArgumentException("maxLength on a Redis producer must be at least 1, got "
                    + properties.getMaxLength() + "; leave it unset for no length limit");
        }
        if (properties.getMaxAge() != null && (properties.getMaxAge().isNegative() || properties.getMaxAge().isZero())) {
            throw new IllegalArgumentException("maxAge on a Redis producer must be positive, got "
                    + properties.getMaxAge() + "; leave it unset for no age limit");
        }
        this.approximate = properties.isApproximateTrimming();
        this.monotonicMillis = monotonicMillis;
        this.maxAgeMillis = properties.getMaxAge() == null ? 0 : properties.getMaxAge().toMillis();
        if (properties.getMaxAge() != null) {
            this.fixed = null;
        }
        else if (properties.getMaxLength() != null) {
            this.fixed = new XAddArgs().maxlen(properties.getMaxLength()).approximateTrimming(this.approximate);
        }
        else {
            this.fixed = new XAddArgs();
        }
    }

    static StreamTrimming of(RedisProducerProperties properties) {
        return new StreamTrimming(properties, () -> System.nanoTime() / 1_000_000);
    }

    /** The arguments for the next {@code XADD}. */
    XAddArgs args() {
        if (this.fixed != null) {
            return this.fixed;
        }
        if (!this.clockKnown) {
            return new XAddArgs();
        }
        long redisNow = this.monotonicMillis.getAsLong() + this.redisOffsetMillis;
        // Capped at the latest id: were Redis' clock behind the stream's last id (a restored or promoted copy with
        // a clock behind, a clock stepped back), the entry this XADD adds could otherwise fall below its own
        // MINID after a long quiet spell and be trimmed at once.
        // Never below 0 (a max-age longer than Redis' clock has run, or a clock near 1970): Redis refuses a negative id.
        long minId = Math.max(0, Math.min(redisNow - this.maxAgeMillis, this.lastIdMillis));
        return new XAddArgs().minId(minId + "-0").approximateTrimming(this.approximate);
    }

    /** Learns Redis' clock from the id ({@code <milliseconds>-<sequence>}) of an entry it has just added. */
    void added(String id) {
        Long millis = this.fixed == null ? StreamIds.millis(id) : null;
        if (millis == null) {
            return;
        }
        this.redisOffsetMillis = millis - this.monotonicMillis.getAsLong();
        this.lastIdMillis = millis;
        this.clockKnown = true;
    }
}
