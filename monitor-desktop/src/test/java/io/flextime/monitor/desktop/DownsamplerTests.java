package io.flextime.monitor.desktop;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.flextime.monitor.desktop.viewmodel.ChartLine;
import io.flextime.monitor.desktop.viewmodel.Downsampler;
import io.flextime.streams.monitor.TimeSeries;

import static org.assertj.core.api.Assertions.assertThat;

/** The chart data: at most one point per pixel column, and unknown values as gaps, never as zero. */
class DownsamplerTests {

    private static final long NOW = 3_600_000;

    @Test
    void anHourOfSamplesBecomesAtMostOnePointPerPixel() {
        List<TimeSeries.Point> points = new ArrayList<>();
        for (int second = 0; second < 3600; second++) {
            points.add(new TimeSeries.Point(second * 1000L, (long) second));
        }
        ChartLine line = Downsampler.line("orders", points, NOW, 600);
        assertThat(line.segments()).singleElement().satisfies(segment -> {
            assertThat(segment).hasSize(600);
            assertThat(segment.get(0).y()).as("the highest of 0..5").isEqualTo(5.0);
            assertThat(segment.get(0).x()).isCloseTo(-3597.5, org.assertj.core.data.Offset.offset(0.001));
        });
    }

    @Test
    void unknownValuesSplitTheLineInsteadOfDrawingZero() {
        List<TimeSeries.Point> points = List.of(new TimeSeries.Point(1000, 5L), new TimeSeries.Point(2000, 6L),
                new TimeSeries.Point(3000, null), new TimeSeries.Point(4000, 7L));
        ChartLine line = Downsampler.line("lag", points, NOW, 100);
        assertThat(line.segments()).hasSize(2);
        assertThat(line.segments().get(0)).extracting(ChartLine.ChartPoint::y).containsExactly(5.0, 6.0);
        assertThat(line.segments().get(1)).extracting(ChartLine.ChartPoint::y).containsExactly(7.0);
        assertThat(line.peak()).isEqualTo(7.0);
    }

    /** A lag spike of one pass keeps its height in the hour view; a rate is averaged, as the events it counts. */
    @Test
    void aLevelKeepsItsPeakPerBucketAndARateItsAverage() {
        List<TimeSeries.Point> lag = new ArrayList<>();
        List<Downsampler.Sample> rate = new ArrayList<>();
        for (int pass = 0; pass < 1800; pass++) {
            long value = pass == 901 ? 5000 : 10;
            lag.add(new TimeSeries.Point(pass * 2000L, value));
            rate.add(new Downsampler.Sample(pass * 2000L, (double) value));
        }

        assertThat(Downsampler.line("lag", lag, NOW, 720).peak()).isEqualTo(5000.0);
        assertThat(Downsampler.samples("out /s", rate, NOW, 720).peak()).isLessThan(5000.0);
    }

    @Test
    void aBucketWithSomeKnownValuesUsesOnlyThoseAndAnEmptySeriesHasNoSegments() {
        List<TimeSeries.Point> points = List.of(new TimeSeries.Point(1000, 4L), new TimeSeries.Point(2000, null));
        assertThat(Downsampler.line("lag", points, NOW, 1).segments()).singleElement()
                .satisfies(segment -> assertThat(segment).extracting(ChartLine.ChartPoint::y).containsExactly(4.0));
        assertThat(Downsampler.line("lag", List.of(), NOW, 100).segments()).isEmpty();
        assertThat(Downsampler.line("lag", List.of(), NOW, 100).peak()).isEqualTo(-1);
    }
}
