package io.flextime.monitor.desktop.viewmodel;

import java.util.List;

/**
 * One line of a chart: its name and its points, split into segments wherever the value is unknown, so the
 * chart draws a gap there instead of a misleading zero.
 */
public record ChartLine(String name, List<List<ChartPoint>> segments) {

    /** The highest known value; {@code -1} when the whole line is unknown. */
    public double peak() {
        return this.segments.stream().flatMap(List::stream).mapToDouble(ChartPoint::y).max().orElse(-1);
    }

    /** {@code x}: seconds relative to now (negative); {@code y}: the value. */
    public record ChartPoint(double x, double y) {
    }
}
