package io.flextime.monitor.desktop.view;

import java.util.Optional;
import java.util.function.Predicate;
import java.util.regex.Pattern;

import javafx.application.Platform;
import javafx.geometry.Insets;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.SplitPane;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.control.TableView;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.scene.control.TextInputDialog;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;
import javafx.util.converter.NumberStringConverter;

import io.flextime.monitor.desktop.viewmodel.StreamDetailViewModel;
import io.flextime.monitor.desktop.viewmodel.StreamDetailViewModel.ConsumerRow;
import io.flextime.monitor.desktop.viewmodel.StreamDetailViewModel.GroupRow;
import io.flextime.monitor.desktop.viewmodel.StreamDetailViewModel.MessageRow;
import io.flextime.monitor.desktop.viewmodel.StreamDetailViewModel.PendingRow;
import io.flextime.monitor.desktop.viewmodel.StreamsViewModel;
import io.flextime.monitor.desktop.viewmodel.StreamsViewModel.StreamRow;

import static io.flextime.monitor.desktop.view.Tables.column;
import static io.flextime.monitor.desktop.view.Tables.table;

/** The streams table (sortable, filterable) and the selected stream's groups, consumers, pending entries and messages. */
public class StreamsView extends SplitPane {

    private static final Predicate<String> WHOLE_NUMBER = Pattern.compile("[0-9]{1,12}").asMatchPredicate();

    private static final Predicate<String> ANY = text -> true;

    private final StreamDetailViewModel detail;

    private final TextField search = new TextField();

    private final TableView<GroupRow> groups;

    private final TableView<ConsumerRow> consumers;

    private final TableView<PendingRow> pending;

    public StreamsView(StreamsViewModel streams, StreamDetailViewModel detail) {
        this.detail = detail;
        this.search.setPromptText("Filter streams (Ctrl+F)");
        this.search.setId("stream-filter");
        this.search.textProperty().bindBidirectional(streams.filterProperty());
        TableView<StreamRow> streamTable = table("streams", column("Stream", StreamRow::name), column("Length", StreamRow::length),
                column("Groups", StreamRow::groups), Tables.countColumn("Lag", StreamRow::lag), column("Pending", StreamRow::pending),
                column("Dead letters", row -> row.deadLetter() ? "yes" : ""));
        streamTable.setItems(sorted(streams.visibleRows(), streamTable));
        streamTable.getSelectionModel().selectedItemProperty().addListener((observable, old, row) -> {
            if (row != null && !row.key().equals(detail.streamProperty().get())) {
                detail.select(row.key());
            }
        });
        Tables.keepSelection(streamTable, StreamRow::key);
        VBox left = new VBox(8, this.search, streamTable);
        left.setPadding(new Insets(8));
        VBox.setVgrow(streamTable, javafx.scene.layout.Priority.ALWAYS);

        this.groups = table("groups", column("Group", GroupRow::name), column("Consumers", GroupRow::consumers),
                column("Pending", GroupRow::pending), Tables.countColumn("Lag", GroupRow::lag), Tables.countColumn("Entries read", GroupRow::entriesRead),
                column("Last delivered", GroupRow::lastDeliveredId), column("Oldest pending idle (ms)", GroupRow::oldestPendingIdleMs));
        this.groups.setItems(detail.groups());
        Tables.keepSelection(this.groups, GroupRow::name);
        this.consumers = table("consumers", column("Group", ConsumerRow::group), column("Consumer", ConsumerRow::name),
                column("Pending", ConsumerRow::pending), column("Idle (ms)", ConsumerRow::idleMs),
                column("Inactive (ms)", ConsumerRow::inactiveMs));
        this.consumers.setItems(detail.consumers());
        Tables.keepSelection(this.consumers, row -> row.group() + "/" + row.name());
        this.pending = table("pending", column("Id", PendingRow::id), column("Group", PendingRow::group),
                column("Consumer", PendingRow::consumer), column("Idle (ms)", PendingRow::idleMs),
                column("Deliveries", PendingRow::deliveries));
        this.pending.setItems(detail.pending());
        Tables.keepSelection(this.pending, PendingRow::id);

        Label result = new Label();
        result.setId("action-result");
        result.textProperty().bind(detail.lastResultProperty());
        TabPane tabs = new TabPane(
                new Tab("Groups", withActions(this.groups, button("Trim…", "trim", this::trim),
                        button("Reset group…", "reset-group", this::resetGroup), button("Replay dead letters…", "replay", this::replay))),
                new Tab("Consumers", withActions(this.consumers, button("Delete consumer…", "delete-consumer", this::deleteConsumer))),
                new Tab("Pending", withActions(this.pending, button("Ack…", "ack", this::acknowledge),
                        button("Claim…", "claim", this::claim), button("Reload", "reload-pending", () -> detail.loadPending()))),
                new Tab("Messages", messages()));
        tabs.setTabClosingPolicy(TabPane.TabClosingPolicy.UNAVAILABLE);
        BorderPane right = new BorderPane(tabs);
        right.setBottom(result);
        BorderPane.setMargin(result, new Insets(4, 8, 8, 8));
        getItems().setAll(left, right);
        setDividerPositions(0.4);
    }

    void focusSearch() {
        this.search.requestFocus();
    }

    private static <R> javafx.collections.transformation.SortedList<R> sorted(javafx.collections.ObservableList<R> rows,
            TableView<R> table) {
        javafx.collections.transformation.SortedList<R> sorted = new javafx.collections.transformation.SortedList<>(rows);
        sorted.comparatorProperty().bind(table.comparatorProperty());
        return sorted;
    }

    private VBox messages() {
        TextField count = new TextField();
        count.setPrefColumnCount(5);
        count.textProperty().bindBidirectional(this.detail.messageCountProperty(), new NumberStringConverter("#"));
        TextField start = new TextField();
        start.setPromptText("from id or ms");
        start.textProperty().bindBidirectional(this.detail.rangeStartProperty());
        TextField end = new TextField();
        end.setPromptText("to id or ms");
        end.textProperty().bindBidirectional(this.detail.rangeEndProperty());
        Button load = button("Load", "load-messages", () -> this.detail.loadMessages());
        TableView<MessageRow> list = table("messages", column("Id", MessageRow::id), column("Time", MessageRow::time),
                column("Type", MessageRow::eventType));
        list.setItems(this.detail.messages());
        TextArea payload = new TextArea();
        payload.setEditable(false);
        payload.setId("message-payload");
        TextArea headers = new TextArea();
        headers.setEditable(false);
        headers.setPrefRowCount(3);
        list.getSelectionModel().selectedItemProperty().addListener((observable, old, row) -> {
            payload.setText(row == null ? "" : row.payload());
            headers.setText(row == null ? "" : row.headers());
        });
        VBox box = new VBox(8, new HBox(8, new Label("Latest"), count, start, end, load), list, new Label("Event"), payload,
                new Label("Header fields"), headers);
        box.setPadding(new Insets(8));
        return box;
    }

    private VBox withActions(TableView<?> table, Button... actions) {
        VBox box = new VBox(8, new HBox(8, actions), table);
        box.setPadding(new Insets(8));
        return box;
    }

    private static Button button(String text, String id, Runnable action) {
        Button button = new Button(text);
        button.setId(id);
        button.setOnAction(event -> action.run());
        return button;
    }

    private void trim() {
        if (this.detail.streamProperty().get() == null) {
            return;
        }
        ask("Trim stream", "Entries to keep", "1000", WHOLE_NUMBER, "Give a whole number of entries").map(Long::parseLong).ifPresent(maxLength -> {
            if (confirm("Trim stream", this.detail.describeTrim(maxLength))) {
                this.detail.trim(maxLength);
            }
        });
    }

    private void resetGroup() {
        GroupRow group = this.groups.getSelectionModel().getSelectedItem();
        if (group == null) {
            return;
        }
        ask("Reset group", "New position: $ (end), 0 (start) or an entry id", "$", ANY, "").ifPresent(position -> {
            if (confirm("Reset group", this.detail.describeReset(group.name(), position))) {
                this.detail.resetGroup(group.name(), position);
            }
        });
    }

    private void deleteConsumer() {
        ConsumerRow consumer = this.consumers.getSelectionModel().getSelectedItem();
        if (consumer == null) {
            return;
        }
        if (consumer.pending() > 0) {
            Confirmation.inform(getScene().getWindow(), "Delete consumer", this.detail.describeDeleteConsumer(consumer));
            return;
        }
        if (confirm("Delete consumer", this.detail.describeDeleteConsumer(consumer))) {
            this.detail.deleteConsumer(consumer);
        }
    }

    private void acknowledge() {
        PendingRow entry = this.pending.getSelectionModel().getSelectedItem();
        if (entry != null && confirm("Acknowledge entry", this.detail.describeAck(entry))) {
            this.detail.acknowledge(entry);
        }
    }

    private void claim() {
        PendingRow entry = this.pending.getSelectionModel().getSelectedItem();
        if (entry == null) {
            return;
        }
        ask("Claim entry", "Give it to consumer", "desktop-monitor", ANY, "").ifPresent(consumer -> {
            if (confirm("Claim entry", this.detail.describeClaim(entry, consumer))) {
                this.detail.claim(entry, consumer);
            }
        });
    }

    private void replay() {
        if (!this.detail.isDeadLetterStream()) {
            Confirmation.inform(getScene().getWindow(), "Replay dead letters", "Select a dead-letter stream (name ending in .dlq).");
            return;
        }
        if (confirm("Replay dead letters", this.detail.describeReplay())) {
            this.detail.replayDeadLetters();
        }
    }

    private boolean confirm(String title, String text) {
        return Confirmation.confirm(getScene().getWindow(), title, text);
    }

    /** Asks for one value; an answer {@code valid} refuses is explained ({@code whyNot}) and dropped. */
    private Optional<String> ask(String title, String question, String proposal, Predicate<String> valid, String whyNot) {
        TextInputDialog dialog = new TextInputDialog(proposal);
        dialog.initOwner(getScene().getWindow());
        dialog.setTitle(title);
        dialog.setHeaderText(question);
        dialog.getDialogPane().setId("question");
        Optional<String> answer = dialog.showAndWait().map(String::trim).filter(text -> !text.isEmpty());
        if (answer.isPresent() && !valid.test(answer.get())) {
            Platform.runLater(() -> Confirmation.inform(getScene().getWindow(), title, whyNot));
            return Optional.empty();
        }
        return answer;
    }
}
