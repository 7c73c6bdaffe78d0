package io.flextime.monitor.desktop.view;

import java.util.Comparator;
import java.util.function.Function;

import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;

/** Small helpers to build record-backed table columns. */
final class Tables {

    private Tables() {
    }

    static <R, V> TableColumn<R, V> column(String title, Function<R, V> value) {
        TableColumn<R, V> column = new TableColumn<>(title);
        column.setCellValueFactory(cell -> new ReadOnlyObjectWrapper<>(value.apply(cell.getValue())));
        return column;
    }

    /**
     * A column of counts shown as text ("42", "40+?", "unknown"): sorted by the number they start with, so "10"
     * comes after "9"; text without a number ("unknown") sorts after every number.
     */
    static <R> TableColumn<R, String> countColumn(String title, Function<R, String> value) {
        TableColumn<R, String> column = column(title, value);
        column.setComparator(Comparator.comparing(Tables::leadingNumber, Comparator.nullsLast(Comparator.naturalOrder())));
        return column;
    }

    private static Long leadingNumber(String text) {
        int end = 0;
        while (text != null && end < text.length() && Character.isDigit(text.charAt(end))) {
            end++;
        }
        return end == 0 ? null : Long.valueOf(text.substring(0, end));
    }

    /**
     * Keeps a row selected across refreshes: each tick replaces the rows (they are immutable snapshots), which
     * would otherwise clear the selection under the user's hand. The row with the same key is selected again.
     */
    static <R, K> void keepSelection(TableView<R> table, Function<R, K> key) {
        Object[] remembered = new Object[1];
        table.getSelectionModel().selectedItemProperty().addListener((observable, old, row) -> {
            if (row != null) {
                remembered[0] = key.apply(row);
            }
        });
        table.getItems().addListener((javafx.collections.ListChangeListener<R>) change -> {
            if (table.getSelectionModel().getSelectedItem() == null && remembered[0] != null) {
                for (int i = 0; i < table.getItems().size(); i++) {
                    if (remembered[0].equals(key.apply(table.getItems().get(i)))) {
                        table.getSelectionModel().select(i);
                        return;
                    }
                }
            }
        });
    }

    @SafeVarargs
    static <R> TableView<R> table(String id, TableColumn<R, ?>... columns) {
        TableView<R> table = new TableView<>();
        table.setId(id);
        table.getColumns().setAll(columns);
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        return table;
    }
}
