package io.flextime.monitor.desktop.viewmodel;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import javafx.beans.property.IntegerProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

import io.flextime.streams.monitor.GroupSnapshot;
import io.flextime.streams.monitor.MetricsSummary;
import io.flextime.streams.monitor.MonitorHistory;
import io.flextime.streams.monitor.MonitorSnapshot;
import io.flextime.streams.monitor.StreamSnapshot;
import io.flextime.streams.monitor.TimeSeries;

/**
 * The dashboard: tiles and four charts (length per stream, lag per group, throughput in and out, pending per
 * group), over a selectable window, read from the monitoring core's ring buffers and reduced to the charts'
 * pixel width. Everything is computed off the UI thread and applied in one batch per tick.
 */
public class DashboardViewModel {

    public static final List<Duration> WINDOWS = List.of(Duration.ofMinutes(5), Duration.ofMinutes(15), Duration.ofHours(1));

    /**
     * Group charts draw the groups with the highest peaks only: twenty flat lines and a legend that no longer
     * fits help nobody on call, while the worst few are what needs attention. The tables list every group.
     */
    public static final int GROUP_LINES = 8;

    private final UiThread ui;

    private final StringProperty streams = new SimpleStringProperty("–");

    private final StringProperty totalLength = new SimpleStringProperty("–");

    private final StringProperty totalLag = new SimpleStringProperty("–");

    private final StringProperty totalPending = new SimpleStringProperty("–");

    private final StringProperty inputRate = new SimpleStringProperty("–");

    private final StringProperty outputRate = new SimpleStringProperty("–");

    private final StringProperty activeAlerts = new SimpleStringProperty("0");

    private final ObjectProperty<Duration> window = new SimpleObjectProperty<>(WINDOWS.get(0));

    private final IntegerProperty chartWidth = new SimpleIntegerProperty(600);

    private final ObjectProperty<List<ChartLine>> lengths = new SimpleObjectProperty<>(List.of());

    private final ObjectProperty<List<ChartLine>> lags = new SimpleObjectProperty<>(List.of());

    private final ObjectProperty<List<ChartLine>> throughput = new SimpleObjectProperty<>(List.of());

    private final ObjectProperty<List<ChartLine>> pending = new SimpleObjectProperty<>(List.of());

    /** Copies of {@link #window} and {@link #chartWidth} for the I/O thread, which must not read FX properties. */
    private volatile Duration currentWindow = WINDOWS.get(0);

    private volatile int currentChartWidth = 600;

    public DashboardViewModel(UiThread ui) {
        this.ui = ui;
        this.window.addListener((observable, old, fresh) -> this.currentWindow = fresh);
        this.chartWidth.addListener((observable, old, fresh) -> this.currentChartWidth = fresh.intValue());
    }

    /** Called after every monitoring pass, on the I/O thread. */
    public void update(MonitorSnapshot snapshot, MetricsSummary summary, MonitorHistory history, int alerts) {
        long now = snapshot.at().toEpochMilli();
        long since = now - this.currentWindow.toMillis();
        int width = Math.max(10, this.currentChartWidth);
        List<ChartLine> lengthLines = new ArrayList<>();
        List<ChartLine> lagLines = new ArrayList<>();
        List<ChartLine> pendingLines = new ArrayList<>();
        List<List<TimeSeries.Point>> added = new ArrayList<>();
        List<List<TimeSeries.Point>> read = new ArrayList<>();
        for (StreamSnapshot stream : snapshot.streams()) {
            if (stream.deadLetter()) {
                continue;
            }
            lengthLines.add(Downsampler.line(stream.name(), history.series(MonitorHistory.streamSeries(stream.key(), "length"))
                    .since(since), now, width));
            added.add(history.series(MonitorHistory.streamSeries(stream.key(), "entriesAdded")).since(since));
            for (GroupSnapshot group : stream.groups()) {
                String label = stream.name() + " / " + shortGroupName(group.name());
                lagLines.add(Downsampler.line(label, history.series(MonitorHistory.groupSeries(stream.key(), group.name(), "lag"))
                        .since(since), now, width));
                pendingLines.add(Downsampler.line(label, history.series(MonitorHistory.groupSeries(stream.key(), group.name(),
                        "pending")).since(since), now, width));
                read.add(history.series(MonitorHistory.groupSeries(stream.key(), group.name(), "entriesRead")).since(since));
            }
        }
        List<ChartLine> rates = List.of(Downsampler.samples("in /s", summedRates(added), now, width),
                Downsampler.samples("out /s", summedRates(read), now, width));
        this.ui.execute(() -> {
            this.streams.set(String.valueOf(summary.streams()));
            this.totalLength.set(String.valueOf(summary.totalLength()));
            this.totalLag.set(summary.unknownLagGroups() == 0 ? String.valueOf(summary.totalLag())
                    : summary.totalLag() + " (+" + summary.unknownLagGroups() + " unknown)");
            this.totalPending.set(String.valueOf(summary.totalPending()));
            this.inputRate.set(rate(summary.inputPerSecond(), summary.unknownInputStreams()));
            this.outputRate.set(rate(summary.outputPerSecond(), summary.unknownOutputGroups()));
            this.activeAlerts.set(String.valueOf(alerts));
            this.lengths.set(lengthLines);
            this.lags.set(highestPeaks(lagLines));
            this.throughput.set(rates);
            this.pending.set(highestPeaks(pendingLines));
        });
    }

    /** {@code anonymous.<uuid>} groups are shortened to eight hex digits, enough to tell them apart in a legend. */
    static String shortGroupName(String group) {
        return group.startsWith("anonymous.") && group.length() > 18 ? group.substring(0, 18) : group;
    }

    private static List<ChartLine> highestPeaks(List<ChartLine> lines) {
        return lines.stream().sorted(java.util.Comparator.comparingDouble(ChartLine::peak).reversed()).limit(GROUP_LINES)
                .toList();
    }

    /** The visible series as CSV: chart, line, seconds ago, value. */
    public String toCsv() {
        StringBuilder csv = new StringBuilder("chart,line,secondsRelativeToNow,value\n");
        append(csv, "length", this.lengths.get());
        append(csv, "lag", this.lags.get());
        append(csv, "throughput", this.throughput.get());
        append(csv, "pending", this.pending.get());
        return csv.toString();
    }

    private static void append(StringBuilder csv, String chart, List<ChartLine> lines) {
        for (ChartLine line : lines) {
            for (List<ChartLine.ChartPoint> segment : line.segments()) {
                for (ChartLine.ChartPoint point : segment) {
                    csv.append(chart).append(',').append('"').append(line.name().replace("\"", "\"\"")).append('"').append(',')
                            .append(String.format(java.util.Locale.ROOT, "%.1f,%.3f", point.x(), point.y())).append('\n');
                }
            }
        }
    }

    /**
     * The summed per-second rate of growing counters, at each time one of them was sampled. A counter adds the rate
     * between two consecutive known points that do not go down; where none of them knows its rate (an outage, the
     * first pass after it, a counter that went back because its stream was recreated) the sum is unknown, so the
     * chart shows a gap there as it does for the levels.
     */
    static List<Downsampler.Sample> summedRates(List<List<TimeSeries.Point>> counters) {
        Map<Long, Double> totals = new TreeMap<>();
        for (List<TimeSeries.Point> points : counters) {
            for (int i = 1; i < points.size(); i++) {
                TimeSeries.Point previous = points.get(i - 1);
                TimeSeries.Point current = points.get(i);
                long elapsed = current.timeMillis() - previous.timeMillis();
                if (previous.value() != null && current.value() != null && elapsed > 0 && current.value() >= previous.value()) {
                    totals.merge(current.timeMillis(), (current.value() - previous.value()) * 1000.0 / elapsed, Double::sum);
                }
                else {
                    totals.putIfAbsent(current.timeMillis(), null);
                }
            }
        }
        List<Downsampler.Sample> samples = new ArrayList<>(totals.size());
        totals.forEach((time, value) -> samples.add(new Downsampler.Sample(time, value)));
        return samples;
    }

    /** A total rate, saying how many parts it leaves out because their rate is not known yet, as the lag does. */
    static String rate(Double perSecond, int unknownParts) {
        if (perSecond == null) {
            return "–";
        }
        String known = String.format(java.util.Locale.ROOT, "%.1f/s", perSecond);
        return unknownParts == 0 ? known : known + " (+" + unknownParts + " unknown)";
    }

    public StringProperty streamsProperty() {
        return this.streams;
    }

    public StringProperty totalLengthProperty() {
        return this.totalLength;
    }

    public StringProperty totalLagProperty() {
        return this.totalLag;
    }

    public StringProperty totalPendingProperty() {
        return this.totalPending;
    }

    public StringProperty inputRateProperty() {
        return this.inputRate;
    }

    public StringProperty outputRateProperty() {
        return this.outputRate;
    }

    public StringProperty activeAlertsProperty() {
        return this.activeAlerts;
    }

    public ObjectProperty<Duration> windowProperty() {
        return this.window;
    }

    public IntegerProperty chartWidthProperty() {
        return this.chartWidth;
    }

    public ObjectProperty<List<ChartLine>> lengthsProperty() {
        return this.lengths;
    }

    public ObjectProperty<List<ChartLine>> lagsProperty() {
        return this.lags;
    }

    public ObjectProperty<List<ChartLine>> throughputProperty() {
        return this.throughput;
    }

    public ObjectProperty<List<ChartLine>> pendingProperty() {
        return this.pending;
    }
}
