package io.flextime.monitor.desktop.view;

import java.io.UncheckedIOException;
import java.util.Map;

import javafx.beans.property.BooleanProperty;
import javafx.geometry.Insets;
import javafx.scene.control.ButtonType;
import javafx.scene.control.CheckBox;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.scene.layout.GridPane;
import javafx.stage.Window;
import javafx.util.converter.NumberStringConverter;

import io.flextime.monitor.desktop.viewmodel.SettingsViewModel;

/** Alert thresholds, hysteresis, poll interval and a switch per rule; OK applies them to the running monitor and saves them. */
final class SettingsDialog {

    private SettingsDialog() {
    }

    static void show(Window owner, SettingsViewModel model) {
        Dialog<ButtonType> dialog = new Dialog<>();
        dialog.initOwner(owner);
        dialog.setTitle("Alert settings");
        dialog.getDialogPane().getButtonTypes().setAll(ButtonType.CANCEL, ButtonType.OK);
        GridPane form = new GridPane(8, 8);
        form.setPadding(new Insets(12));
        form.addRow(0, new Label("Lag threshold (entries)"), number(model.lagThresholdProperty()));
        form.addRow(1, new Label("Error rate threshold (0..1)"), number(model.errorRateThresholdProperty()));
        form.addRow(2, new Label("Consumer idle threshold (ms)"), number(model.consumerIdleMsProperty()));
        form.addRow(3, new Label("Stuck pending after (ms)"), number(model.stuckPendingMsProperty()));
        form.addRow(4, new Label("Poll interval (ms)"), number(model.intervalMsProperty()));
        form.addRow(5, new Label("Fire after (passes)"), number(model.fireAfterProperty()));
        form.addRow(6, new Label("Resolve after (passes)"), number(model.resolveAfterProperty()));
        int row = 7;
        for (Map.Entry<String, BooleanProperty> rule : model.rules().entrySet()) {
            CheckBox runs = new CheckBox(rule.getKey());
            runs.setId("rule-" + rule.getKey());
            runs.selectedProperty().bindBidirectional(rule.getValue());
            form.addRow(row, new Label(row == 7 ? "Rules" : ""), runs);
            row++;
        }
        dialog.getDialogPane().setContent(form);
        if (dialog.showAndWait().filter(button -> button == ButtonType.OK).isEmpty()) {
            model.revert();
            return;
        }
        try {
            model.apply();
        }
        catch (IllegalArgumentException ex) {
            Confirmation.inform(owner, "Settings not applied", ex.getMessage());
            model.revert();
        }
        catch (UncheckedIOException ex) {
            Confirmation.inform(owner, "Settings applied but not saved", ex.getMessage());
        }
    }

    private static TextField number(javafx.beans.property.Property<Number> property) {
        TextField field = new TextField();
        // Locale.ROOT: in a German locale the default reads "0.05" as 5, grouping the '.' away.
        field.textProperty().bindBidirectional(property, new NumberStringConverter(java.util.Locale.ROOT));
        return field;
    }
}
