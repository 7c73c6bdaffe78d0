package io.flextime.streams.monitor;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TimeSeriesTests {

    @Test
    void aSmallerBufferKeepsTheNewestPointsInOrderAndALargerOneKeepsThemAll() {
        TimeSeries series = new TimeSeries(4);
        for (long t = 1; t <= 6; t++) {
            series.add(t, t * 10);
        }
        assertThat(series.since(0)).extracting(TimeSeries.Point::timeMillis).containsExactly(3L, 4L, 5L, 6L);

        series.resize(2);
        assertThat(series.since(0)).extracting(TimeSeries.Point::timeMillis).containsExactly(5L, 6L);
        series.add(7, null);
        assertThat(series.since(0)).extracting(TimeSeries.Point::timeMillis).containsExactly(6L, 7L);

        series.resize(5);
        series.add(8, 80L);
        assertThat(series.since(0)).extracting(TimeSeries.Point::timeMillis).containsExactly(6L, 7L, 8L);
        assertThat(series.since(0)).extracting(TimeSeries.Point::value).containsExactly(60L, null, 80L);
        for (long t = 9; t <= 12; t++) {
            series.add(t, t * 10);
        }
        assertThat(series.since(0)).extracting(TimeSeries.Point::timeMillis).containsExactly(8L, 9L, 10L, 11L, 12L);
        assertThat(series.latest().timeMillis()).isEqualTo(12);
    }

    /**
     * A counter that starts again (a stream recreated, a group reset to the start) counts what it rose before and
     * after the fall, not the difference across it: here 100 + 50 over 30 s, where first-to-last would be nothing.
     */
    @Test
    void aRateAcrossACounterThatStartedAgainAddsTheRisesOnEitherSide() {
        TimeSeries series = new TimeSeries(10);
        series.add(0, 100L);
        series.add(10_000, 200L);
        series.add(20_000, 5L);
        series.add(30_000, 55L);

        assertThat(series.increaseSince(0)).isEqualTo(150);
        assertThat(series.ratePerSecond(0)).isEqualTo(5.0);
    }
}
