package io.flextime.monitor.desktop.view;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import javafx.beans.property.ObjectProperty;
import javafx.geometry.Side;
import javafx.scene.chart.LineChart;
import javafx.scene.chart.NumberAxis;
import javafx.scene.chart.XYChart;

import io.flextime.monitor.desktop.viewmodel.ChartLine;

/**
 * A line chart fed from a view model's chart lines: no animation, no symbol nodes per point, and the whole
 * data set replaced once per tick. A line with unknown stretches becomes several series, one per segment.
 */
final class ChartBinding {

    private ChartBinding() {
    }

    static LineChart<Number, Number> chart(String title, String yLabel, ObjectProperty<List<ChartLine>> lines,
            ObjectProperty<Duration> window, Side legendSide) {
        // The x axis spans the chosen window even while the history is shorter, so "5 min" always looks like it.
        NumberAxis x = new NumberAxis();
        x.setLabel("seconds (0 = now)");
        x.setAutoRanging(false);
        x.setUpperBound(0);
        spanWindow(x, window.get());
        window.addListener((observable, old, fresh) -> spanWindow(x, fresh));
        NumberAxis y = new NumberAxis();
        y.setLabel(yLabel);
        LineChart<Number, Number> chart = new LineChart<>(x, y);
        chart.setTitle(title);
        chart.setAnimated(false);
        chart.setCreateSymbols(false);
        chart.setLegendVisible(true);
        chart.setLegendSide(legendSide);
        chart.setId(title.replaceAll(" \\(.*", "").toLowerCase().replace(' ', '-'));
        lines.addListener((observable, old, fresh) -> show(chart, fresh));
        show(chart, lines.get());
        return chart;
    }

    private static void spanWindow(NumberAxis x, Duration window) {
        x.setLowerBound(-window.toSeconds());
        x.setTickUnit(window.toSeconds() / 5.0);
    }

    private static void show(LineChart<Number, Number> chart, List<ChartLine> lines) {
        List<XYChart.Series<Number, Number>> all = new ArrayList<>();
        for (ChartLine line : lines) {
            int part = 0;
            for (List<ChartLine.ChartPoint> segment : line.segments()) {
                XYChart.Series<Number, Number> series = new XYChart.Series<>();
                series.setName(part++ == 0 ? line.name() : line.name() + " (after gap)");
                List<XYChart.Data<Number, Number>> data = new ArrayList<>(segment.size());
                for (ChartLine.ChartPoint point : segment) {
                    data.add(new XYChart.Data<>(point.x(), point.y()));
                }
                series.getData().setAll(data);
                all.add(series);
            }
        }
        chart.getData().setAll(all);
    }
}
