package io.flextime.monitor.desktop.viewmodel;

import java.util.ArrayList;
import java.util.List;

import io.flextime.streams.monitor.TimeSeries;

/**
 * Reduces a series to at most one point per chart pixel column: each bucket is the highest of its known values for
 * a level ({@link #line}: length, lag, pending), so a spike of one pass keeps its height in the hour view, or their
 * average for a rate ({@link #samples}), so the events it stands for are neither lost nor counted twice. A bucket
 * with no known value is unknown; unknown points end a segment, which the chart shows as a gap.
 */
public final class Downsampler {

    private Downsampler() {
    }

    /** A value at a time; {@code null} when unknown. */
    public record Sample(long timeMillis, Double value) {
    }

    /** A level: each bucket shows its highest value. */
    public static ChartLine line(String name, List<TimeSeries.Point> points, long nowMillis, int maxPoints) {
        return reduce(name, points.stream().map(point -> new Sample(point.timeMillis(),
                point.value() == null ? null : point.value().doubleValue())).toList(), nowMillis, maxPoints, true);
    }

    /** A rate: each bucket shows the average of its values. */
    public static ChartLine samples(String name, List<Sample> points, long nowMillis, int maxPoints) {
        return reduce(name, points, nowMillis, maxPoints, false);
    }

    private static ChartLine reduce(String name, List<Sample> points, long nowMillis, int maxPoints, boolean highest) {
        List<List<ChartLine.ChartPoint>> segments = new ArrayList<>();
        List<ChartLine.ChartPoint> current = new ArrayList<>();
        int buckets = Math.max(1, Math.min(maxPoints, points.size()));
        for (int bucket = 0; bucket < buckets; bucket++) {
            int from = bucket * points.size() / buckets;
            int to = (bucket + 1) * points.size() / buckets;
            double sum = 0;
            double max = Double.NEGATIVE_INFINITY;
            int known = 0;
            long time = 0;
            for (int i = from; i < to; i++) {
                time += points.get(i).timeMillis();
                Double value = points.get(i).value();
                if (value != null) {
                    sum += value;
                    max = Math.max(max, value);
                    known++;
                }
            }
            if (to == from) {
                continue;
            }
            if (known == 0) {
                if (!current.isEmpty()) {
                    segments.add(current);
                    current = new ArrayList<>();
                }
                continue;
            }
            double x = ((double) time / (to - from) - nowMillis) / 1000.0;
            current.add(new ChartLine.ChartPoint(x, highest ? max : sum / known));
        }
        if (!current.isEmpty()) {
            segments.add(current);
        }
        return new ChartLine(name, segments);
    }
}
