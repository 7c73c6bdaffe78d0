package io.flextime.monitor.desktop.view;

import java.time.Instant;

import javafx.geometry.Insets;
import javafx.scene.control.Label;
import javafx.scene.control.TableRow;
import javafx.scene.control.TableView;
import javafx.scene.layout.VBox;

import io.flextime.monitor.desktop.viewmodel.AlertsViewModel;
import io.flextime.streams.monitor.alert.Alert;
import io.flextime.streams.monitor.alert.Severity;

import static io.flextime.monitor.desktop.view.Tables.column;
import static io.flextime.monitor.desktop.view.Tables.table;

/** Active alerts and the history, each row coloured by severity (resolved ones muted). */
public class AlertsView extends VBox {

    public AlertsView(AlertsViewModel model) {
        super(8);
        setPadding(new Insets(8));
        TableView<Alert> active = alertTable("active-alerts");
        active.setItems(model.active());
        TableView<Alert> history = alertTable("alert-history");
        history.getColumns().add(column("Resolved", alert -> time(alert.resolvedAt())));
        history.setItems(model.history());
        getChildren().setAll(new Label("Active alerts"), active, new Label("History"), history);
    }

    @SuppressWarnings("unchecked")
    private static TableView<Alert> alertTable(String id) {
        TableView<Alert> table = table(id, column("Severity", Alert::severity), column("Rule", Alert::rule),
                column("Stream", Alert::stream), column("Group", Alert::group), column("Consumer", Alert::consumer),
                column("Message", Alert::message), column("Fired", alert -> time(alert.firedAt())));
        table.setRowFactory(ignored -> new TableRow<>() {
            @Override
            protected void updateItem(Alert alert, boolean empty) {
                super.updateItem(alert, empty);
                getStyleClass().removeAll("alert-critical", "alert-warning", "alert-resolved");
                if (alert != null && !empty) {
                    getStyleClass().add(!alert.isActive() ? "alert-resolved"
                            : alert.severity() == Severity.CRITICAL ? "alert-critical" : "alert-warning");
                }
            }
        });
        return table;
    }

    private static String time(Instant instant) {
        return instant == null ? "" : instant.toString();
    }
}
