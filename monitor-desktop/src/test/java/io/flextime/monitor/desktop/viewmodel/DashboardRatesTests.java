package io.flextime.monitor.desktop.viewmodel;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.flextime.streams.monitor.TimeSeries;

import static org.assertj.core.api.Assertions.assertThat;

/** How the dashboard sums rates and writes them: what it leaves out is said, as for the total lag. */
class DashboardRatesTests {

    @Test
    void aRateWithEveryPartKnownIsJustTheRate() {
        assertThat(DashboardViewModel.rate(12.34, 0)).isEqualTo("12.3/s");
    }

    @Test
    void aRateThatLeavesPartsOutSaysHowMany() {
        assertThat(DashboardViewModel.rate(12.34, 2)).isEqualTo("12.3/s (+2 unknown)");
    }

    /** An outage is a gap in the throughput chart, as in the others; one counter still known keeps its part. */
    @Test
    void theSummedRateIsUnknownWhereNoCounterKnowsItsRate() {
        List<TimeSeries.Point> orders = List.of(point(0, 0L), point(1, 10L), point(2, null), point(3, 30L), point(4, 40L));
        List<TimeSeries.Point> games = List.of(point(0, 0L), point(1, 5L), point(2, null), point(3, null), point(4, 7L));

        List<Downsampler.Sample> rates = DashboardViewModel.summedRates(List.of(orders, games));

        assertThat(rates).containsExactly(new Downsampler.Sample(1000, 15.0), new Downsampler.Sample(2000, null),
                new Downsampler.Sample(3000, null), new Downsampler.Sample(4000, 10.0));
        assertThat(Downsampler.samples("in /s", rates, 4000, 100).segments()).hasSize(2);
    }

    private static TimeSeries.Point point(int second, Long value) {
        return new TimeSeries.Point(second * 1000L, value);
    }

    @Test
    void noKnownRateIsADash() {
        assertThat(DashboardViewModel.rate(null, 3)).isEqualTo("–");
    }
}
