package io.flextime.monitor.desktop.viewmodel;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.collections.transformation.FilteredList;

import io.flextime.streams.monitor.GroupSnapshot;
import io.flextime.streams.monitor.MonitorSnapshot;
import io.flextime.streams.monitor.StreamSnapshot;

/** The streams table: one row per stream, filtered by the search text (name contains it, any case). */
public class StreamsViewModel {

    private final UiThread ui;

    private final ObservableList<StreamRow> rows = FXCollections.observableArrayList();

    private final FilteredList<StreamRow> visibleRows = new FilteredList<>(this.rows);

    private final StringProperty filter = new SimpleStringProperty("");

    public StreamsViewModel(UiThread ui) {
        this.ui = ui;
        this.filter.addListener((observable, old, text) -> this.visibleRows.setPredicate(row -> text == null || text.isBlank()
                || row.name().toLowerCase(Locale.ROOT).contains(text.trim().toLowerCase(Locale.ROOT))));
    }

    public void update(MonitorSnapshot snapshot) {
        List<StreamRow> fresh = new ArrayList<>();
        for (StreamSnapshot stream : snapshot.streams()) {
            long lag = 0;
            boolean unknown = false;
            long pending = 0;
            for (GroupSnapshot group : stream.groups()) {
                if (group.lag() == null) {
                    unknown = true;
                }
                else {
                    lag += group.lag();
                }
                pending += group.pending();
            }
            fresh.add(new StreamRow(stream.name(), stream.key(), stream.length(), stream.groups().size(),
                    unknown ? (lag == 0 ? "unknown" : lag + "+?") : String.valueOf(lag), pending, stream.deadLetter()));
        }
        this.ui.execute(() -> this.rows.setAll(fresh));
    }

    public ObservableList<StreamRow> visibleRows() {
        return this.visibleRows;
    }

    public StringProperty filterProperty() {
        return this.filter;
    }

    /** One stream as the table shows it. Lag is a text: a number, or "unknown" when Redis cannot tell. */
    public record StreamRow(String name, String key, long length, int groups, String lag, long pending, boolean deadLetter) {
    }
}
