package io.flextime.monitor.desktop.view;

import java.time.Duration;
import java.util.List;

import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.geometry.Side;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.chart.LineChart;
import javafx.scene.control.Label;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

import io.flextime.monitor.desktop.viewmodel.ChartLine;
import io.flextime.monitor.desktop.viewmodel.ChartLine.ChartPoint;

import static org.assertj.core.api.Assertions.assertThat;

/** A line with a gap keeps its colour and its one legend entry, and the lines after it keep theirs. */
@ExtendWith(ApplicationExtension.class)
class ChartBindingTests {

    private final ObjectProperty<List<ChartLine>> lines = new SimpleObjectProperty<>(List.of());

    private LineChart<Number, Number> chart;

    @Start
    void start(Stage stage) {
        this.chart = ChartBinding.chart("Lag", "entries", this.lines, new SimpleObjectProperty<>(Duration.ofMinutes(5)),
                Side.BOTTOM);
        stage.setScene(new Scene(this.chart, 600, 400));
        stage.show();
    }

    /** The lines are sorted by their peaks, which change from tick to tick: a line keeps its colour anyway. */
    @Test
    void aLineKeepsItsColourWhenTheOrderChanges(FxRobot robot) {
        robot.interact(() -> this.lines.set(List.of(line("orders", List.of(points(-60, -30))), line("billing",
                List.of(points(-60, -30))))));
        String orders = colour(series(0));
        String billing = colour(series(1));

        robot.interact(() -> this.lines.set(List.of(line("billing", List.of(points(-60, -30))), line("orders",
                List.of(points(-60, -30))))));

        assertThat(colour(series(0))).isEqualTo(billing);
        assertThat(colour(series(1))).isEqualTo(orders);
    }

    @Test
    void aGapNeitherRecoloursTheLinesNorDoublesTheLegend(FxRobot robot) {
        robot.interact(() -> this.lines.set(List.of(line("orders", List.of(points(-60, -30))), line("billing",
                List.of(points(-60, -30))))));
        String ordersBefore = colour(series(0));
        String billingBefore = colour(series(1));
        assertThat(ordersBefore).isNotEqualTo(billingBefore);

        // Redis was away between -30 s and -10 s: orders is now two segments, so three series in all.
        robot.interact(() -> this.lines.set(List.of(line("orders", List.of(points(-60, -30), points(-10, 0))),
                line("billing", List.of(points(-60, -30))))));

        assertThat(this.chart.getData()).hasSize(3);
        assertThat(colour(series(0))).isEqualTo(ordersBefore);
        assertThat(colour(series(1))).isEqualTo(ordersBefore);
        assertThat(colour(series(2))).isEqualTo(billingBefore);
        List<Label> legend = robot.lookup(".chart-legend-item").queryAllAs(Label.class).stream().filter(Node::isVisible)
                .toList();
        assertThat(legend).extracting(Label::getText).containsExactlyInAnyOrder("orders", "billing");
        assertThat(legend).allSatisfy(item -> assertThat(colour(item.getGraphic()))
                .isEqualTo(item.getText().equals("orders") ? ordersBefore : billingBefore));
    }

    private Node series(int index) {
        return this.chart.getData().get(index).getNode();
    }

    private static String colour(Node node) {
        return node.getStyleClass().stream().filter(styleClass -> styleClass.startsWith("default-color")).reduce(
                (first, second) -> first + " " + second).orElse("none");
    }

    private static ChartLine line(String name, List<List<ChartPoint>> segments) {
        return new ChartLine(name, segments);
    }

    private static List<ChartPoint> points(double from, double to) {
        return List.of(new ChartPoint(from, 5), new ChartPoint(to, 7));
    }
}
