package io.flextime.streams.monitor;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Level;
import java.util.logging.Logger;

import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;

import io.flextime.streams.monitor.alert.Alert;
import io.flextime.streams.monitor.alert.AlertEngine;
import io.flextime.streams.monitor.alert.AlertListener;
import io.flextime.streams.monitor.alert.AlertRules;
import io.flextime.streams.monitor.alert.AlertThresholds;

/**
 * The brief's Stream Monitor, one engine for the application's {@code /api/metrics} and the desktop monitor
 * alike: every pass takes a {@link MonitorSnapshot}, adds it to the {@link MonitorHistory} and evaluates the
 * alert rules. It imports neither Spring nor JavaFX; the clock is injected, so tests drive windows and
 * hysteresis without waiting.
 */
public class StreamMonitor implements AutoCloseable {

    private static final Logger logger = Logger.getLogger(StreamMonitor.class.getName());

    private final SnapshotCollector collector;

    private final MonitorHistory history;

    private final AlertEngine alerts;

    private final Clock clock;

    private final AtomicReference<MonitorSnapshot> latest = new AtomicReference<>();

    private final AtomicReference<RuntimeException> lastFailure = new AtomicReference<>();

    private ScheduledExecutorService scheduler;

    public StreamMonitor(SnapshotCollector collector, MonitorHistory history, AlertEngine alerts, Clock clock) {
        this.collector = collector;
        this.history = history;
        this.alerts = alerts;
        this.clock = clock;
    }

    /**
     * A monitor of every stream under {@code prefix} with all rules, a history of {@code historyPoints} points
     * per series and 500 alerts.
     */
    public static StreamMonitor create(RedisClusterAsyncCommands<String, String> redis, String prefix,
            AlertThresholds thresholds, int historyPoints, Clock clock) {
        return new StreamMonitor(new SnapshotCollector(redis, prefix, clock, Duration.ofSeconds(10)),
                new MonitorHistory(historyPoints), new AlertEngine(AlertRules.all(), thresholds, 500), clock);
    }

    /** One pass: snapshot, history, alerts. A failure is remembered ({@link #lastFailure()}) and thrown. */
    public MonitorSnapshot poll() {
        try {
            MonitorSnapshot snapshot = this.collector.collect();
            this.history.record(snapshot);
            this.alerts.evaluate(snapshot, this.history, this.clock.instant());
            this.latest.set(snapshot);
            this.lastFailure.set(null);
            return snapshot;
        }
        catch (RuntimeException ex) {
            this.lastFailure.set(ex);
            this.history.recordGap(this.clock.millis());
            throw ex;
        }
    }

    /** A fresh snapshot for an on-demand view (an API request), without touching history or alerts. */
    public MonitorSnapshot snapshotNow() {
        return this.collector.collect();
    }

    /** A fresh snapshot of one stream, as {@link #snapshotNow()}; empty when {@code key} is not a stream under the prefix. */
    public Optional<StreamSnapshot> snapshotNow(String key) {
        return this.collector.collect(key);
    }

    /** Polls every {@code interval} on its own thread until {@link #close()}. */
    public synchronized void start(Duration interval) {
        if (this.scheduler != null) {
            return;
        }
        this.scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "stream-monitor");
            thread.setDaemon(true);
            return thread;
        });
        this.scheduler.scheduleWithFixedDelay(this::pollQuietly, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void pollQuietly() {
        try {
            poll();
        }
        catch (RuntimeException ex) {
            logger.log(Level.FINE, "Monitoring pass failed", ex);
        }
    }

    /** The latest snapshot, or {@code null} before the first successful pass. */
    public MonitorSnapshot latest() {
        return this.latest.get();
    }

    /** Why the last pass failed, or {@code null} if it succeeded. */
    public RuntimeException lastFailure() {
        return this.lastFailure.get();
    }

    public MonitorHistory history() {
        return this.history;
    }

    public AlertEngine alerts() {
        return this.alerts;
    }

    public void onAlert(AlertListener listener) {
        this.alerts.onAlert(listener);
    }

    public List<Alert> activeAlerts() {
        return this.alerts.activeAlerts();
    }

    /** The brief's {@code getMetricsSummary()}; {@code null} before the first successful pass. */
    public MetricsSummary summary() {
        MonitorSnapshot snapshot = this.latest.get();
        if (snapshot == null) {
            return null;
        }
        long since = snapshot.at().toEpochMilli() - this.alerts.thresholds().window().toMillis();
        Double input = null;
        Double output = null;
        int unknownInputs = 0;
        int unknownOutputs = 0;
        int streams = 0;
        int deadLetterStreams = 0;
        long deadLetters = 0;
        for (StreamSnapshot stream : snapshot.streams()) {
            if (stream.deadLetter()) {
                deadLetterStreams++;
                deadLetters += stream.length();
                continue;
            }
            streams++;
            Double streamInput = this.history.inputRate(stream.key(), since);
            input = add(input, streamInput);
            unknownInputs += streamInput == null ? 1 : 0;
            for (GroupSnapshot group : stream.groups()) {
                Double groupOutput = this.history.outputRate(stream.key(), group.name(), since);
                output = add(output, groupOutput);
                unknownOutputs += groupOutput == null ? 1 : 0;
            }
        }
        return new MetricsSummary(snapshot.at(), streams, deadLetterStreams, snapshot.totalLength(), snapshot.totalLag(),
                snapshot.unknownLagGroups(), snapshot.totalPending(), deadLetters, input, unknownInputs, output,
                unknownOutputs, this.alerts.activeAlerts().size());
    }

    private static Double add(Double sum, Double value) {
        if (value == null) {
            return sum;
        }
        return sum == null ? value : sum + value;
    }

    @Override
    public synchronized void close() {
        if (this.scheduler != null) {
            this.scheduler.shutdownNow();
            this.scheduler = null;
        }
    }
}
