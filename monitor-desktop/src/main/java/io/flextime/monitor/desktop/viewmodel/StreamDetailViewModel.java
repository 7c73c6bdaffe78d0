package io.flextime.monitor.desktop.viewmodel;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Objects;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import io.lettuce.core.StreamMessage;
import io.lettuce.core.models.stream.PendingMessage;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

import io.flextime.monitor.desktop.connection.MonitorSession;
import io.flextime.streams.monitor.ConsumerSnapshot;
import io.flextime.streams.monitor.GroupSnapshot;
import io.flextime.streams.monitor.MonitorSnapshot;
import io.flextime.streams.monitor.StreamAdmin;
import io.flextime.streams.monitor.StreamIds;
import io.flextime.streams.monitor.StreamMonitor;
import io.flextime.streams.monitor.StreamSnapshot;

/**
 * One stream in detail: its groups and consumers (from every snapshot), its pending entries and messages
 * (loaded on demand), and the admin actions. Each action has a sentence saying exactly what it will do, which
 * the view shows in its confirmation dialog; all of them run on the session's I/O thread.
 */
public class StreamDetailViewModel {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final UiThread ui;

    private final MonitorSession session;

    private final ObjectProperty<String> stream = new SimpleObjectProperty<>();

    private final ObservableList<GroupRow> groups = FXCollections.observableArrayList();

    private final ObservableList<ConsumerRow> consumers = FXCollections.observableArrayList();

    private final ObservableList<PendingRow> pending = FXCollections.observableArrayList();

    private final ObservableList<MessageRow> messages = FXCollections.observableArrayList();

    private final IntegerProperty messageCount = new SimpleIntegerProperty(50);

    private final StringProperty rangeStart = new SimpleStringProperty("-");

    private final StringProperty rangeEnd = new SimpleStringProperty("+");

    private final StringProperty lastResult = new SimpleStringProperty("");

    /**
     * The selected key for the I/O thread, which must not read {@link #stream}. Results for a stream that is no
     * longer selected are dropped, so one stream's rows never show (and are never acted on) under another.
     */
    private volatile String selectedKey;

    public StreamDetailViewModel(UiThread ui, MonitorSession session) {
        this.ui = ui;
        this.session = session;
    }

    /**
     * Selects a stream (by key) and loads its pending entries and latest messages. The previous stream's rows go at
     * once: the loads may wait behind a pass on the I/O thread, and an action on an old row meanwhile would name
     * the new stream's key with the old stream's group and id.
     */
    public CompletableFuture<Void> select(String key) {
        if (!Objects.equals(key, this.selectedKey)) {
            this.pending.clear();
            this.messages.clear();
        }
        this.selectedKey = key;
        this.stream.set(key);
        MonitorSnapshot latest = latestSnapshot();
        if (latest != null) {
            update(latest);
        }
        return CompletableFuture.allOf(loadPending(), loadMessages());
    }

    /** The monitor's last snapshot; {@code null} before the first, or while a new connection is under way. */
    private MonitorSnapshot latestSnapshot() {
        // Read once: a reconnect on the I/O thread sets the monitor to null at any moment.
        StreamMonitor monitor = this.session.monitor();
        return monitor == null ? null : monitor.latest();
    }

    public void update(MonitorSnapshot snapshot) {
        String key = this.selectedKey;
        StreamSnapshot selected = snapshot.streams().stream().filter(candidate -> candidate.key().equals(key)).findFirst()
                .orElse(null);
        List<GroupRow> groupRows = new ArrayList<>();
        List<ConsumerRow> consumerRows = new ArrayList<>();
        if (selected != null) {
            for (GroupSnapshot group : selected.groups()) {
                groupRows.add(new GroupRow(group.name(), group.consumers().size(), group.pending(),
                        group.lag() == null ? "unknown" : String.valueOf(group.lag()),
                        group.entriesRead() == null ? "unknown" : String.valueOf(group.entriesRead()), group.lastDeliveredId(),
                        group.oldestPendingIdleMs()));
                for (ConsumerSnapshot consumer : group.consumers()) {
                    consumerRows.add(new ConsumerRow(group.name(), consumer.name(), consumer.pending(), consumer.idleMs(),
                            consumer.inactiveMs()));
                }
            }
        }
        this.ui.execute(() -> {
            if (Objects.equals(key, this.selectedKey)) {
                this.groups.setAll(groupRows);
                this.consumers.setAll(consumerRows);
                if (selected == null) {
                    // Gone, or another server's (a new connection): its entries must not be acted on here.
                    this.pending.clear();
                    this.messages.clear();
                }
            }
        });
    }

    public CompletableFuture<Void> loadPending() {
        String key = this.selectedKey;
        // From the snapshot, not from this.groups: that list is only refreshed later, on the FX thread.
        MonitorSnapshot latest = latestSnapshot();
        List<String> groupNames = latest == null ? List.of() : latest.streams().stream()
                .filter(candidate -> candidate.key().equals(key))
                .flatMap(candidate -> candidate.groups().stream().map(GroupSnapshot::name)).toList();
        return this.session.admin(admin -> {
            List<PendingRow> rows = new ArrayList<>();
            for (String group : groupNames) {
                for (PendingMessage entry : admin.pending(key, group, 100)) {
                    rows.add(new PendingRow(entry.getId(), group, entry.getConsumer(), entry.getMsSinceLastDelivery(),
                            entry.getRedeliveryCount()));
                }
            }
            return rows;
        }).handle((rows, failure) -> show(key, "pending entries", rows, failure, this.pending));
    }

    /** The latest {@code messageCount} entries within the id (or millisecond time) range, newest first. */
    public CompletableFuture<Void> loadMessages() {
        String key = this.selectedKey;
        int count = Math.max(1, Math.min(1000, this.messageCount.get()));
        String start = blankTo(this.rangeStart.get(), "-");
        String end = blankTo(this.rangeEnd.get(), "+");
        return this.session.admin(admin -> admin.entries(key, start, end, count, true).stream()
                .map(StreamDetailViewModel::row).toList())
                .handle((rows, failure) -> show(key, "messages", rows, failure, this.messages));
    }

    /** Shows loaded rows if their stream is still selected; a failure is reported instead of leaving stale rows. */
    private <T> Void show(String key, String what, List<T> rows, Throwable failure, ObservableList<T> target) {
        this.ui.execute(() -> {
            if (!Objects.equals(key, this.selectedKey)) {
                return;
            }
            if (failure != null) {
                target.clear();
                this.lastResult.set("Could not load " + what + ": " + MonitorSession.reason(failure));
            }
            else {
                target.setAll(rows);
            }
        });
        return null;
    }

    public String describeTrim(long maxLength) {
        return "Trim '" + this.stream.get() + "' to its newest " + maxLength + " entries. Older entries are deleted for "
                + "good, including any a group has not read yet.";
    }

    public CompletableFuture<String> trim(long maxLength) {
        String key = this.stream.get();
        return report(this.session.admin(admin -> "Removed " + admin.trimToLength(key, maxLength, false) + " entries from "
                + key));
    }

    public String describeReset(String group, String position) {
        return "Move group '" + group + "' on '" + this.stream.get() + "' to " + switch (position) {
            case "$" -> "the end: it will skip every entry not yet delivered.";
            case "0" -> "the start: it will receive every entry still in the stream again.";
            default -> "entry " + position + ": it will next receive the entries after it.";
        } + " Pending entries stay pending.";
    }

    public CompletableFuture<String> resetGroup(String group, String position) {
        String key = this.stream.get();
        return report(this.session.admin(admin -> {
            admin.resetGroup(key, group, position);
            return "Group " + group + " now at " + position;
        }));
    }

    public String describeDeleteConsumer(ConsumerRow consumer) {
        return consumer.pending() > 0
                ? "Consumer '" + consumer.name() + "' still holds " + consumer.pending() + " pending entries. It will not be "
                        + "deleted: claim its entries for another consumer first (Pending tab)."
                : "Delete consumer '" + consumer.name() + "' from group '" + consumer.group() + "'. It holds no pending entries.";
    }

    /** Refused (by Redis, atomically) while the consumer holds pending entries. */
    public CompletableFuture<String> deleteConsumer(ConsumerRow consumer) {
        String key = this.stream.get();
        return report(this.session.admin(admin -> admin.deleteConsumerIfNothingPending(key, consumer.group(), consumer.name())
                ? "Deleted consumer " + consumer.name()
                : "Not deleted: " + consumer.name() + " holds pending entries; claim them elsewhere first"));
    }

    public String describeAck(PendingRow entry) {
        return "Acknowledge entry " + entry.id() + " for group '" + entry.group() + "'. Nobody will process it again.";
    }

    public CompletableFuture<String> acknowledge(PendingRow entry) {
        String key = this.stream.get();
        return report(this.session.admin(admin -> "Acknowledged " + admin.acknowledge(key, entry.group(), entry.id())
                + " entry")).thenCompose(result -> loadPending().thenApply(ignored -> result));
    }

    public String describeClaim(PendingRow entry, String consumer) {
        return "Give entry " + entry.id() + " of group '" + entry.group() + "' to consumer '" + consumer + "' (now held by '"
                + entry.consumer() + "').";
    }

    public CompletableFuture<String> claim(PendingRow entry, String consumer) {
        String key = this.stream.get();
        return report(this.session.admin(admin -> "Claimed " + admin.claim(key, entry.group(), consumer, entry.id()).size()
                + " entry for " + consumer)).thenCompose(result -> loadPending().thenApply(ignored -> result));
    }

    public boolean isDeadLetterStream() {
        return this.stream.get() != null && this.stream.get().endsWith(StreamSnapshot.DEAD_LETTER_SUFFIX);
    }

    public String describeReplay() {
        return "Move up to 100 entries of '" + this.stream.get() + "' back to the streams they came from, and delete them "
                + "here. Every consumer group of those streams gets them again, not only the group whose dead letters "
                + "these are: its handlers must tolerate an event they have seen.";
    }

    public CompletableFuture<String> replayDeadLetters() {
        String key = this.stream.get();
        return report(this.session.admin(admin -> {
            // Only to streams this monitor watches: a letter naming another application's stream stays.
            StreamAdmin.ReplayResult result = admin.replayDeadLetters(key, 100, this.session.prefix());
            return "Replayed " + result.replayed().size() + " dead letters"
                    + (result.skipped().isEmpty() ? "" : "; " + result.skipped().size() + " left in place");
        }));
    }

    private CompletableFuture<String> report(CompletableFuture<String> action) {
        return action.handle((result, failure) -> {
            String text = failure == null ? result : "Failed: " + MonitorSession.reason(failure);
            this.ui.execute(() -> this.lastResult.set(text));
            return text;
        });
    }

    private static MessageRow row(StreamMessage<String, String> entry) {
        Map<String, String> headers = new LinkedHashMap<>(entry.getBody());
        String payload = headers.remove("payload");
        String pretty = payload;
        String eventType = headers.getOrDefault("eventType", "");
        try {
            var json = JSON.readTree(payload == null ? "" : payload);
            if (json.isObject()) {
                pretty = JSON.writerWithDefaultPrettyPrinter().writeValueAsString(json);
                eventType = json.path("eventType").asString(eventType);
            }
        }
        catch (JacksonException ex) {
            // not JSON: shown as it is
        }
        Long millis = StreamIds.millis(entry.getId());
        return new MessageRow(entry.getId(), millis == null ? "" : Instant.ofEpochMilli(millis).toString(), eventType,
                pretty == null ? "" : pretty, headers.toString());
    }

    private static String blankTo(String value, String fallback) {
        return value == null || value.isBlank() ? fallback : value.trim();
    }

    public ObjectProperty<String> streamProperty() {
        return this.stream;
    }

    public ObservableList<GroupRow> groups() {
        return this.groups;
    }

    public ObservableList<ConsumerRow> consumers() {
        return this.consumers;
    }

    public ObservableList<PendingRow> pending() {
        return this.pending;
    }

    public ObservableList<MessageRow> messages() {
        return this.messages;
    }

    public IntegerProperty messageCountProperty() {
        return this.messageCount;
    }

    public StringProperty rangeStartProperty() {
        return this.rangeStart;
    }

    public StringProperty rangeEndProperty() {
        return this.rangeEnd;
    }

    public StringProperty lastResultProperty() {
        return this.lastResult;
    }

    public record GroupRow(String name, int consumers, long pending, String lag, String entriesRead, String lastDeliveredId,
            Long oldestPendingIdleMs) {
    }

    public record ConsumerRow(String group, String name, long pending, long idleMs, Long inactiveMs) {
    }

    public record PendingRow(String id, String group, String consumer, long idleMs, long deliveries) {
    }

    public record MessageRow(String id, String time, String eventType, String payload, String headers) {
    }
}
