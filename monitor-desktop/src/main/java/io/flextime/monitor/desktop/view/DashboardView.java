package io.flextime.monitor.desktop.view;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;

import javafx.beans.property.StringProperty;
import javafx.geometry.Insets;
import javafx.geometry.Side;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.Label;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.TilePane;
import javafx.scene.layout.VBox;
import javafx.stage.FileChooser;
import javafx.util.StringConverter;

import io.flextime.monitor.desktop.viewmodel.DashboardViewModel;

/** The first screen: tiles, four charts, the window choice, and PNG/CSV export. */
public class DashboardView extends BorderPane {

    private final DashboardViewModel model;

    private final GridPane charts = new GridPane();

    public DashboardView(DashboardViewModel model) {
        this.model = model;
        setId("dashboard");
        TilePane tiles = new TilePane(8, 8, tile("Streams", model.streamsProperty()), tile("Total length", model.totalLengthProperty()),
                tile("Total lag", model.totalLagProperty()), tile("Pending", model.totalPendingProperty()),
                tile("Events in", model.inputRateProperty()), tile("Events out", model.outputRateProperty()),
                tile("Active alerts", model.activeAlertsProperty()));
        tiles.setPadding(new Insets(8));
        ChoiceBox<Duration> window = new ChoiceBox<>();
        window.getItems().setAll(DashboardViewModel.WINDOWS);
        window.valueProperty().bindBidirectional(model.windowProperty());
        window.setConverter(new StringConverter<>() {
            @Override
            public String toString(Duration duration) {
                return duration == null ? "" : duration.toMinutes() >= 60 ? duration.toHours() + " h" : duration.toMinutes() + " min";
            }

            @Override
            public Duration fromString(String text) {
                return null;
            }
        });
        window.setId("window");
        Button png = new Button("Export PNG");
        png.setOnAction(event -> exportPng());
        Button csv = new Button("Export CSV");
        csv.setOnAction(event -> exportCsv());
        HBox controls = new HBox(8, new Label("Window"), window, png, csv);
        controls.setPadding(new Insets(0, 8, 8, 8));
        // Stream names are short, so those legends sit beside the plot; "stream / group" labels are long and wrap below.
        this.charts.add(ChartBinding.chart("Length per stream", "entries", model.lengthsProperty(), model.windowProperty(), Side.RIGHT), 0, 0);
        this.charts.add(ChartBinding.chart("Lag per group (highest " + DashboardViewModel.GROUP_LINES + ")", "entries", model.lagsProperty(), model.windowProperty(), Side.BOTTOM), 1, 0);
        this.charts.add(ChartBinding.chart("Throughput", "events/s", model.throughputProperty(), model.windowProperty(), Side.RIGHT), 0, 1);
        this.charts.add(ChartBinding.chart("Pending (highest " + DashboardViewModel.GROUP_LINES + " groups)", "entries", model.pendingProperty(), model.windowProperty(), Side.BOTTOM), 1, 1);
        this.charts.getChildren().forEach(chart -> {
            GridPane.setHgrow(chart, Priority.ALWAYS);
            GridPane.setVgrow(chart, Priority.ALWAYS);
        });
        this.charts.widthProperty().addListener((observable, old, width) -> model.chartWidthProperty().set((int) (width.doubleValue() / 2)));
        setTop(new VBox(tiles, controls));
        setCenter(this.charts);
    }

    private static Node tile(String title, StringProperty value) {
        Label name = new Label(title);
        name.getStyleClass().add("text-muted");
        Label number = new Label();
        number.textProperty().bind(value);
        number.getStyleClass().add("title-2");
        number.setId("tile-" + title.toLowerCase().replace(' ', '-'));
        VBox tile = new VBox(4, name, number);
        tile.setPadding(new Insets(8));
        tile.setMinWidth(140);
        tile.getStyleClass().add("tile");
        return tile;
    }

    /** The dashboard as drawn now, tiles and charts, as a PNG image: what Export PNG writes. */
    public void writePng(File file) throws IOException {
        PngFiles.write(this, file);
    }

    private void exportPng() {
        File file = choose("dashboard.png", "PNG image", "*.png");
        if (file != null) {
            try {
                writePng(file);
            }
            catch (IOException ex) {
                Confirmation.inform(getScene().getWindow(), "Export failed", ex.getMessage());
            }
        }
    }

    private void exportCsv() {
        File file = choose("dashboard.csv", "CSV", "*.csv");
        if (file != null) {
            try {
                Files.writeString(file.toPath(), this.model.toCsv(), StandardCharsets.UTF_8);
            }
            catch (IOException ex) {
                Confirmation.inform(getScene().getWindow(), "Export failed", ex.getMessage());
            }
        }
    }

    private File choose(String name, String description, String pattern) {
        FileChooser chooser = new FileChooser();
        chooser.setInitialFileName(name);
        chooser.getExtensionFilters().add(new FileChooser.ExtensionFilter(description, pattern));
        return chooser.showSaveDialog(getScene().getWindow());
    }
}
