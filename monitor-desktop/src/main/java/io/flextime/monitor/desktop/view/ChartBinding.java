package io.flextime.monitor.desktop.view;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import javafx.beans.property.ObjectProperty;
import javafx.geometry.Side;
import javafx.scene.Node;
import javafx.scene.chart.LineChart;
import javafx.scene.chart.NumberAxis;
import javafx.scene.chart.XYChart;
import javafx.scene.control.Label;

import io.flextime.monitor.desktop.viewmodel.ChartLine;

/**
 * A line chart fed from a view model's chart lines: no animation, no symbol nodes per point, and the whole
 * data set replaced once per tick. A line with unknown stretches becomes several series, one per segment, drawn
 * in one colour with one legend entry.
 */
final class ChartBinding {

    static final String AFTER_GAP = " (after gap)";

    /** Modena's chart palette: {@code default-color0} to {@code default-color7}. */
    private static final int CHART_COLOURS = 8;

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
        List<String> colours = new ArrayList<>();
        Map<String, String> colourByName = coloursByName(chart, lines);
        for (ChartLine line : lines) {
            String colour = colourByName.get(line.name());
            boolean first = true;
            for (List<ChartLine.ChartPoint> segment : line.segments()) {
                XYChart.Series<Number, Number> series = new XYChart.Series<>();
                series.setName(first ? line.name() : line.name() + AFTER_GAP);
                List<XYChart.Data<Number, Number>> data = new ArrayList<>(segment.size());
                for (ChartLine.ChartPoint point : segment) {
                    data.add(new XYChart.Data<>(point.x(), point.y()));
                }
                series.getData().setAll(data);
                all.add(series);
                colours.add(colour);
                first = false;
            }
        }
        chart.getData().setAll(all);
        colourByLine(chart, all, colours, colourByName);
    }

    /**
     * Each line keeps its colour for as long as it is shown, wherever it moves in the list (the lines are sorted
     * by their peaks, which change from tick to tick); a new line takes the first colour no shown line has.
     */
    @SuppressWarnings("unchecked")
    private static Map<String, String> coloursByName(LineChart<Number, Number> chart, List<ChartLine> lines) {
        Map<String, Integer> assigned = (Map<String, Integer>) chart.getProperties()
                .computeIfAbsent(ChartBinding.class, ignored -> new HashMap<String, Integer>());
        Set<String> shown = lines.stream().map(ChartLine::name).collect(Collectors.toSet());
        assigned.keySet().retainAll(shown);
        Map<String, String> colourByName = new HashMap<>();
        for (ChartLine line : lines) {
            int index = assigned.computeIfAbsent(line.name(), name -> firstFreeColour(assigned.values()));
            colourByName.put(line.name(), "default-color" + index % CHART_COLOURS);
        }
        return colourByName;
    }

    private static int firstFreeColour(Collection<Integer> taken) {
        int index = 0;
        while (taken.contains(index)) {
            index++;
        }
        return index;
    }

    /**
     * A line with a gap (Redis unreachable for a while, say) is several series, and the chart colours series by
     * their position: after an outage every line would change colour and appear twice in the legend. So the
     * colour goes by line instead, for all its segments and its legend symbol, and only a line's first
     * segment has a legend entry.
     */
    private static void colourByLine(LineChart<Number, Number> chart, List<XYChart.Series<Number, Number>> all,
            List<String> colours, Map<String, String> colourByName) {
        for (int i = 0; i < all.size(); i++) {
            recolour(all.get(i).getNode(), colours.get(i));
        }
        for (Node item : chart.lookupAll(".chart-legend-item")) {
            if (item instanceof Label label && label.getText() != null) {
                if (label.getText().endsWith(AFTER_GAP)) {
                    label.setVisible(false);
                    label.setManaged(false);
                }
                else if (colourByName.containsKey(label.getText())) {
                    recolour(label.getGraphic(), colourByName.get(label.getText()));
                }
            }
        }
    }

    private static void recolour(Node node, String colour) {
        if (node != null) {
            node.getStyleClass().removeIf(ChartBinding::isColourClass);
            node.getStyleClass().add(colour);
        }
    }

    private static boolean isColourClass(String styleClass) {
        return styleClass.startsWith("default-color");
    }
}
