package io.flextime.benchmarks;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The figures a round derives from what it measured. */
class RoundResultTests {

    @Test
    void cpuPerEventIsTheCoresUsedOverTheRoundSharedByItsEvents() {
        // 1.5 cores for two seconds is three CPU seconds, for 200,000 events: 15 microseconds each.
        RoundResult round = new RoundResult(200_000, 2_000_000_000L, new Histogram(3), 1.5, 0, 0, 0, 0, 0);

        assertThat(round.cpuMicrosPerEvent()).isCloseTo(15.0, within(1e-9));
        assertThat(round.eventsPerSecond()).isCloseTo(100_000.0, within(1e-9));
    }

    @Test
    void aRoundWhereNothingArrivedHasNoCpuPerEvent() {
        RoundResult round = new RoundResult(0, 2_000_000_000L, new Histogram(3), 1.5, 0, 0, 10, 0, 0);

        assertThat(round.cpuMicrosPerEvent()).isNaN();
    }
}
