package io.flextime.streams.binder.outbound;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import io.lettuce.core.XAddArgs;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.protocol.CommandArgs;
import org.junit.jupiter.api.Test;

import io.flextime.streams.binder.properties.RedisProducerProperties;

import static org.assertj.core.api.Assertions.assertThat;

/** Which {@code XADD} trimming arguments a producer sends, and from which clock {@code MINID} comes. */
class StreamTrimmingTests {

    /** This host's monotonic clock, in milliseconds; nothing to do with the wall clock or Redis'. */
    private final AtomicLong monotonic = new AtomicLong(5_000);

    @Test
    void byAgeNothingIsTrimmedBeforeRedisHasToldItsTime() {
        StreamTrimming trimming = byAge(Duration.ofMinutes(10));

        assertThat(text(trimming.args())).doesNotContain("MINID");
    }

    @Test
    void minIdFollowsRedisClockFromTheIdsItAssignedNotThisHostsClock() {
        StreamTrimming trimming = byAge(Duration.ofMinutes(10));
        // Redis' clock says 1,000,000,000,000 ms (September 2001), whatever this host's wall clock says.
        trimming.added("1000000000000-3");

        assertThat(text(trimming.args())).contains("MINID", "999999400000-0");

        this.monotonic.addAndGet(2_000);
        assertThat(text(trimming.args())).contains("999999402000-0");

        trimming.added("1000000005000-0");
        assertThat(text(trimming.args())).contains("999999405000-0");
    }

    /**
     * With Redis' clock behind the stream's last id, a new entry gets an id just after that last one; after a
     * quiet spell longer than max-age, MINID would pass it and the XADD would trim its own entry.
     */
    @Test
    void minIdNeverPassesTheLatestIdRedisAssigned() {
        StreamTrimming trimming = byAge(Duration.ofMinutes(10));
        trimming.added("1000000000000-0");

        this.monotonic.addAndGet(Duration.ofMinutes(11).toMillis());

        assertThat(text(trimming.args())).contains("MINID", "1000000000000-0");
    }

    /** A max-age longer than Redis' clock has run (or a clock near 1970) must not make a negative id, which Redis refuses. */
    @Test
    void minIdIsNeverNegative() {
        StreamTrimming trimming = byAge(Duration.ofDays(365L * 60));
        trimming.added("1000000000000-0");

        assertThat(text(trimming.args())).contains("MINID", " 0-0").doesNotContain("-0-0").doesNotContain(" -");
    }

    @Test
    void byLengthOrNotAtAllTheArgumentsNeverChange() {
        RedisProducerProperties properties = new RedisProducerProperties();
        properties.setMaxLength(1_000L);
        StreamTrimming byLength = new StreamTrimming(properties, this.monotonic::get);
        byLength.added("1000000000000-0");

        assertThat(text(byLength.args())).contains("MAXLEN", "~", "1000").doesNotContain("MINID");
        assertThat(byLength.args()).isSameAs(byLength.args());
        // Only the id: no MAXLEN, no MINID.
        assertThat(text(new StreamTrimming(new RedisProducerProperties(), this.monotonic::get).args())).isEqualTo("*");
    }

    private StreamTrimming byAge(Duration maxAge) {
        RedisProducerProperties properties = new RedisProducerProperties();
        properties.setMaxAge(maxAge);
        return new StreamTrimming(properties, this.monotonic::get);
    }

    private static String text(XAddArgs args) {
        CommandArgs<String, String> command = new CommandArgs<>(StringCodec.UTF8);
        args.build(command);
        return command.toCommandString();
    }
}
