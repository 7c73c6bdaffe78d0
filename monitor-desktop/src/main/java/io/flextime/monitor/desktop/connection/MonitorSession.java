package io.flextime.monitor.desktop.connection;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;

import io.lettuce.core.AbstractRedisClient;

import io.flextime.streams.monitor.ClientShutdown;
import io.flextime.streams.monitor.MonitorSnapshot;
import io.flextime.streams.monitor.StreamAdmin;
import io.flextime.streams.monitor.StreamMonitor;
import io.flextime.streams.monitor.TextConnection;
import io.flextime.streams.monitor.alert.AlertListener;
import io.flextime.streams.monitor.alert.AlertThresholds;

/**
 * Owns everything that talks to Redis, on one background thread, so the UI thread never waits for it: the
 * connection, the {@link StreamMonitor} polled every interval, and the {@link StreamAdmin} behind the admin
 * actions. When a pass fails it reports {@code RECONNECTING} with the reason and retries with back-off (1 s
 * doubling to 30 s); a connection that cannot be opened at all is {@code FAILED} until the next attempt works.
 */
public class MonitorSession implements AutoCloseable {

    private static final System.Logger LOGGER = System.getLogger(MonitorSession.class.getName());

    private static final Duration FIRST_BACKOFF = Duration.ofSeconds(1);

    private static final Duration LONGEST_WINDOW = Duration.ofHours(1);

    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

    private final ScheduledExecutorService io = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "monitor-redis-io");
        thread.setDaemon(true);
        return thread;
    });

    private final Clock clock;

    private final List<Consumer<MonitorSnapshot>> snapshotListeners = new CopyOnWriteArrayList<>();

    private final List<Consumer<Status>> statusListeners = new CopyOnWriteArrayList<>();

    private final List<AlertListener> alertListeners = new CopyOnWriteArrayList<>();

    private volatile AlertThresholds thresholds;

    private Duration interval;

    private volatile ConnectionSettings settings;

    private volatile AbstractRedisClient client;

    private volatile TextConnection connection;

    // Written on the I/O thread, read by view models on the FX thread.
    private volatile StreamMonitor monitor;

    private volatile StreamAdmin admin;

    private ScheduledFuture<?> nextPass;

    private int failures;

    /** When the views' figures were taken; {@code null} before the first pass of a connection. */
    private volatile Instant lastSnapshotAt;

    public MonitorSession(Clock clock, AlertThresholds thresholds, Duration interval) {
        this.clock = clock;
        this.thresholds = thresholds;
        this.interval = interval;
    }

    public void onSnapshot(Consumer<MonitorSnapshot> listener) {
        this.snapshotListeners.add(listener);
    }

    public void onStatus(Consumer<Status> listener) {
        this.statusListeners.add(listener);
    }

    public void onAlert(AlertListener listener) {
        this.alertListeners.add(listener);
    }

    /** Connects (replacing any earlier connection) and starts polling; returns at once. */
    public CompletableFuture<Void> connect(ConnectionSettings newSettings) {
        return CompletableFuture.runAsync(() -> {
            disconnect();
            this.settings = newSettings;
            this.failures = 0;
            this.lastSnapshotAt = null;
            // The views let go of the previous server's streams at once, rather than show them under the new one.
            publishSnapshot(new MonitorSnapshot(this.clock.instant(), List.of(), 0));
            pass();
        }, this.io);
    }

    /** Polls now instead of at the next tick. */
    public CompletableFuture<Void> refresh() {
        return CompletableFuture.runAsync(() -> {
            if (this.settings != null) {
                cancelNextPass();
                pass();
            }
        }, this.io);
    }

    /**
     * Hands the last snapshot to the views again, without polling: for a change that is only in how they draw it
     * (the chart window). A pass would count towards the alerts' fire and resolve counts and put an unevenly spaced
     * point into the history.
     */
    public void redraw() {
        this.io.execute(() -> {
            StreamMonitor current = this.monitor;
            MonitorSnapshot latest = current == null ? null : current.latest();
            if (latest != null) {
                publishSnapshot(latest);
            }
        });
    }

    public void setThresholds(AlertThresholds newThresholds) {
        this.thresholds = newThresholds;
        this.io.execute(() -> {
            if (this.monitor != null) {
                this.monitor.alerts().setThresholds(newThresholds);
            }
        });
    }

    public AlertThresholds thresholds() {
        return this.thresholds;
    }

    /** Runs an admin action on the I/O thread; fails if not connected. */
    public <T> CompletableFuture<T> admin(Function<StreamAdmin, T> action) {
        return CompletableFuture.supplyAsync(() -> {
            if (this.admin == null) {
                throw new IllegalStateException("Not connected to Redis");
            }
            return action.apply(this.admin);
        }, this.io);
    }

    /** The key prefix of the streams watched; empty before the first connection. */
    public String prefix() {
        ConnectionSettings current = this.settings;
        return current == null || current.prefix() == null ? "" : current.prefix();
    }

    /** The monitor, for reading its history and alerts; {@code null} until connected. */
    public StreamMonitor monitor() {
        return this.monitor;
    }

    private void pass() {
        MonitorSnapshot snapshot;
        try {
            ensureConnected();
            snapshot = this.monitor.poll();
        }
        catch (RuntimeException ex) {
            this.failures++;
            boolean everConnected = this.monitor != null;
            publishStatus(new Status(everConnected ? State.RECONNECTING : State.FAILED, reason(ex) + shownSince()));
            if (!everConnected) {
                closeConnection();
            }
            long backoff = Math.min(MAX_BACKOFF.toMillis(), FIRST_BACKOFF.toMillis() << Math.min(this.failures - 1, 10));
            schedule(Duration.ofMillis(backoff));
            return;
        }
        this.failures = 0;
        this.lastSnapshotAt = snapshot.at();
        publishStatus(new Status(State.CONNECTED, this.settings.describe()));
        publishSnapshot(snapshot);
        schedule(this.interval);
    }

    /** While Redis is away the views keep the last figures: say how old they are. */
    private String shownSince() {
        Instant at = this.lastSnapshotAt;
        return at == null ? "" : "; the figures shown are from " + LocalTime.ofInstant(at, this.clock.getZone())
                .truncatedTo(ChronoUnit.SECONDS);
    }

    private void publishSnapshot(MonitorSnapshot snapshot) {
        // A listener's bug is not a Redis failure: it must neither show as "reconnecting" nor starve the others.
        for (Consumer<MonitorSnapshot> listener : this.snapshotListeners) {
            try {
                listener.accept(snapshot);
            }
            catch (RuntimeException ex) {
                LOGGER.log(System.Logger.Level.ERROR, "A view could not show the latest snapshot", ex);
            }
        }
    }

    private void ensureConnected() {
        if (this.monitor != null) {
            return;
        }
        this.client = RedisClients.create(this.settings);
        this.connection = TextConnection.open(this.client);
        this.monitor = StreamMonitor.create(this.connection.async(), this.settings.prefix(), this.thresholds,
                historyPoints(), this.clock);
        this.alertListeners.forEach(this.monitor::onAlert);
        this.admin = new StreamAdmin(this.connection.async(), Duration.ofSeconds(10));
    }

    /** Enough points for the longest chart window (one hour) at the current interval, plus a margin. */
    private int historyPoints() {
        return (int) (LONGEST_WINDOW.toMillis() / Math.max(1, this.interval.toMillis())) + 10;
    }

    private void schedule(Duration delay) {
        if (this.io.isShutdown()) {
            return;
        }
        this.nextPass = this.io.schedule(this::pass, delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void cancelNextPass() {
        if (this.nextPass != null) {
            this.nextPass.cancel(false);
        }
    }

    private void disconnect() {
        cancelNextPass();
        closeConnection();
    }

    /**
     * Lets go of the connection and its client. A failure to close them is logged, not thrown: thrown on the I/O
     * thread, it would end the task that connects and polls, and polling would stop without a word.
     */
    private void closeConnection() {
        this.monitor = null;
        this.admin = null;
        try {
            if (this.connection != null) {
                this.connection.close();
            }
            if (this.client != null) {
                ClientShutdown.within(this.client, Duration.ZERO, Duration.ofSeconds(2));
            }
        }
        catch (RuntimeException ex) {
            LOGGER.log(System.Logger.Level.WARNING, "Could not close the previous connection to Redis cleanly", ex);
        }
        finally {
            this.connection = null;
            this.client = null;
        }
    }

    private void publishStatus(Status status) {
        // As for snapshots: a view's bug must not end the I/O task, which would stop polling without a word.
        for (Consumer<Status> listener : this.statusListeners) {
            try {
                listener.accept(status);
            }
            catch (RuntimeException ex) {
                LOGGER.log(System.Logger.Level.ERROR, "A view could not show the connection status", ex);
            }
        }
    }

    /** A failure as a person reads it: its message, and the root cause's when that differs. */
    public static String reason(Throwable failure) {
        Throwable ex = failure;
        while ((ex instanceof CompletionException || ex instanceof ExecutionException) && ex.getCause() != null) {
            ex = ex.getCause();
        }
        Throwable root = ex;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root == ex ? String.valueOf(ex.getMessage()) : ex.getMessage() + " (" + root.getMessage() + ")";
    }

    /**
     * The history is resized to hold one hour at the new interval. A pass already due later than the new interval
     * from now comes sooner: going from ten minutes to two seconds takes effect at once, not in ten minutes. A
     * back-off after a failure is left as it is.
     */
    public void setInterval(Duration newInterval) {
        this.io.execute(() -> {
            this.interval = newInterval;
            if (this.monitor != null) {
                this.monitor.history().resize(historyPoints());
            }
            if (this.failures == 0 && this.nextPass != null && !this.nextPass.isDone()
                    && this.nextPass.getDelay(TimeUnit.MILLISECONDS) > newInterval.toMillis()) {
                cancelNextPass();
                schedule(newInterval);
            }
        });
    }

    @Override
    public void close() {
        try {
            this.io.submit(this::disconnect).get(5, TimeUnit.SECONDS);
        }
        catch (Exception ex) {
            // A pass stuck on Redis for 5 s: close from here, the I/O thread is about to be interrupted anyway.
            closeConnection();
        }
        this.io.shutdownNow();
    }

    public enum State {
        CONNECTED, RECONNECTING, FAILED
    }

    /** What the status bar shows: the state and, when not connected, why. */
    public record Status(State state, String detail) {
    }
}
