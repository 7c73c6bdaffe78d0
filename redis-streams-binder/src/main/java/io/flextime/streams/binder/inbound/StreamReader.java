package io.flextime.streams.binder.inbound;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.lettuce.core.Consumer;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.UnblockType;
import io.lettuce.core.XReadArgs;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import io.flextime.streams.binder.connection.RedisStreamsConnector;
import io.flextime.streams.binder.connection.StreamConnection;

import static java.nio.charset.StandardCharsets.UTF_8;

/**
 * One reader thread of a consumer binding: one stream key, one consumer name, one dedicated connection.
 *
 * <ol>
 *   <li>On every (re)connect it first drains its own pending entries ({@code XREADGROUP ... 0}), which is
 *   how unfinished work survives a crash or restart under the same consumer name.</li>
 *   <li>Then it loops on {@code XREADGROUP ... COUNT n BLOCK t >}.</li>
 *   <li>Every {@code claimInterval} it takes over entries other consumers left pending for longer than
 *   {@code claimMinIdle} ({@code XAUTOCLAIM}), and the first reader of a key removes consumers that are
 *   long idle and hold nothing.</li>
 *   <li>Drained and claimed entries delivered more than {@code maxDeliveries} times are dead-lettered
 *   unhandled: a poison message that kills the process never gets another chance to.</li>
 *   <li>Each entry goes to the binding; the ids of finished entries are acknowledged with one {@code XACK}
 *   per batch, pipelined ahead of the next read, so acknowledging costs no extra round trip.</li>
 * </ol>
 *
 * <p>While a batch is in hand its unfinished ids are exposed ({@link #inHand()}) so the adapter can refresh
 * their ownership before another consumer's claim could take them. A lost connection or a restarted Redis
 * is retried with back-off, logged once per outage. A vanished group ({@code NOGROUP}) is recreated. A stop
 * request ends a blocked read with {@code CLIENT UNBLOCK}, finishes the entry in hand, leaves the rest of
 * the batch pending and writes the outstanding acks.
 */
final class StreamReader implements Runnable {

    private static final Log logger = LogFactory.getLog(StreamReader.class);

    private static final Duration FIRST_BACKOFF = Duration.ofMillis(100);

    private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);

    private static final String[] NOTHING = new String[0];

    private final ReaderIdentity identity;

    private final byte[] key;

    private final byte[] group;

    private final Consumer<byte[]> consumer;

    private final ReaderSettings settings;

    private final boolean removesDeadConsumers;

    private final RedisStreamsConnector connector;

    private final EntryDispatcher dispatcher;

    private final Runnable groupRecreator;

    private final Object signal = new Object();

    private volatile boolean stopRequested;

    private volatile boolean paused;

    private volatile long clientId = -1;

    private volatile boolean finished;

    private volatile String[] inHand = NOTHING;

    private long nextClaimNanos;

    StreamReader(ReaderIdentity identity, ReaderSettings settings, boolean removesDeadConsumers,
            RedisStreamsConnector connector, EntryDispatcher dispatcher, Runnable groupRecreator) {
        this.identity = identity;
        this.key = identity.stream().getBytes(UTF_8);
        this.group = identity.group().getBytes(UTF_8);
        this.consumer = Consumer.from(this.group, identity.consumer().getBytes(UTF_8));
        this.settings = settings;
        this.removesDeadConsumers = removesDeadConsumers;
        this.connector = connector;
        this.dispatcher = dispatcher;
        this.groupRecreator = groupRecreator;
    }

    @Override
    public void run() {
        Outage outage = new Outage();
        try {
            while (!this.stopRequested) {
                StreamConnection connection = null;
                try {
                    connection = this.connector.connect();
                    this.clientId = connection.await(connection.async().clientId());
                    outage.ended();
                    readUntilStopped(connection);
                }
                catch (RuntimeException ex) {
                    if (this.stopRequested) {
                        break;
                    }
                    if (isNoGroup(ex)) {
                        logger.warn("Group missing for " + this.identity + " (Redis lost data?); recreating it");
                        recreateGroupQuietly(outage);
                        continue;
                    }
                    outage.failed(ex);
                    pauseFor(outage.backoff());
                }
                finally {
                    this.clientId = -1;
                    if (connection != null) {
                        connection.close();
                    }
                }
            }
        }
        finally {
            this.finished = true;
            synchronized (this.signal) {
                this.signal.notifyAll();
            }
        }
    }

    private void readUntilStopped(StreamConnection connection) {
        String pendingCursor = "0";
        Acks acks = new Acks(connection);
        this.nextClaimNanos = System.nanoTime() + this.settings.claimInterval().toNanos();
        try {
            while (!this.stopRequested) {
                if (this.paused) {
                    acks.awaitLast();
                    awaitResume();
                    continue;
                }
                if (System.nanoTime() - this.nextClaimNanos >= 0) {
                    claimAbandoned(connection, acks);
                    this.nextClaimNanos = System.nanoTime() + this.settings.claimInterval().toNanos();
                    continue;
                }
                boolean draining = pendingCursor != null;
                XReadArgs args = draining ? XReadArgs.Builder.count(this.settings.count())
                        : XReadArgs.Builder.count(this.settings.count()).block(blockUntilNextClaim());
                XReadArgs.StreamOffset<byte[]> offset = draining ? XReadArgs.StreamOffset.from(this.key, pendingCursor)
                        : XReadArgs.StreamOffset.lastConsumed(this.key);
                List<StreamMessage<byte[], byte[]>> entries = connection.await(
                        connection.async().xreadgroup(this.consumer, args, offset),
                        this.settings.block().plus(connection.commandTimeout()));
                acks.reportFailedLast();
                if (entries.isEmpty()) {
                    pendingCursor = null;
                    continue;
                }
                if (draining) {
                    pendingCursor = entries.get(entries.size() - 1).getId();
                    handle(entries, StreamClaims.deliveryCounts(connection, this.key, this.consumer, entries), acks);
                }
                else {
                    handle(entries, Map.of(), acks);
                }
            }
        }
        finally {
            acks.awaitLast();
        }
    }

    /** The read blocks at most until the next claim is due, so claiming keeps its rhythm on a quiet stream. */
    private Duration blockUntilNextClaim() {
        long untilClaim = Math.max(1, TimeUnit.NANOSECONDS.toMillis(this.nextClaimNanos - System.nanoTime()));
        return Duration.ofMillis(Math.min(this.settings.block().toMillis(), untilClaim));
    }

    private void claimAbandoned(StreamConnection connection, Acks acks) {
        String cursor = StreamClaims.START;
        do {
            StreamClaims.ClaimPage page = StreamClaims.autoClaim(connection, this.key, this.consumer,
                    this.settings.claimMinIdle(), cursor, this.settings.count());
            if (!page.trimmed().isEmpty()) {
                // Redis 6.2 leaves them pending with a nil body; 7.0 has already dropped them. XACK is harmless either way.
                this.dispatcher.countTrimmed(this.identity, page.trimmed().size());
                acks.send(page.trimmed());
            }
            if (!page.entries().isEmpty()) {
                logger.info("Claimed " + page.entries().size() + " entries idle for over " + this.settings.claimMinIdle()
                        + " from other consumers for " + this.identity);
                handle(page.entries(), StreamClaims.deliveryCounts(connection, this.key, this.consumer, page.entries()), acks);
            }
            cursor = page.next();
        }
        while (!StreamClaims.START.equals(cursor) && !this.stopRequested);
        if (this.removesDeadConsumers) {
            DeadConsumers.remove(connection, this.key, this.group, this.identity, this.settings.deadConsumerIdle());
        }
    }

    /** Hands a batch to the binding and queues the acknowledgement of whatever finished. */
    private void handle(List<StreamMessage<byte[], byte[]>> entries, Map<String, Long> deliveryCounts, Acks acks) {
        List<String> finishedIds = new ArrayList<>(entries.size());
        List<StreamMessage<byte[], byte[]>> deliverable = new ArrayList<>(entries.size());
        for (StreamMessage<byte[], byte[]> entry : entries) {
            long deliveries = deliveryCounts.getOrDefault(entry.getId(), 1L);
            if (deliveries > this.settings.maxDeliveries()) {
                if (this.dispatcher.deadLetterOverLimit(this.identity, entry, deliveries)) {
                    finishedIds.add(entry.getId());
                }
            }
            else {
                deliverable.add(entry);
            }
        }
        this.inHand = ids(deliverable);
        try {
            if (this.settings.batchMode()) {
                if (!deliverable.isEmpty()) {
                    finishedIds.addAll(this.dispatcher.dispatchBatch(this.identity, deliverable));
                }
            }
            else {
                for (StreamMessage<byte[], byte[]> entry : deliverable) {
                    if (this.stopRequested) {
                        // The rest of the batch stays pending under this consumer name for the next start.
                        break;
                    }
                    if (this.dispatcher.dispatch(this.identity, entry)) {
                        finishedIds.add(entry.getId());
                    }
                }
            }
        }
        finally {
            this.inHand = NOTHING;
        }
        acks.send(finishedIds);
    }

    private static String[] ids(List<StreamMessage<byte[], byte[]>> entries) {
        String[] ids = new String[entries.size()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = entries.get(i).getId();
        }
        return ids;
    }

    /** Ids of the batch in hand, for ownership refresh; empty between batches. */
    String[] inHand() {
        return this.inHand;
    }

    byte[] key() {
        return this.key;
    }

    Consumer<byte[]> consumer() {
        return this.consumer;
    }

    private void recreateGroupQuietly(Outage outage) {
        try {
            this.groupRecreator.run();
        }
        catch (RuntimeException ex) {
            outage.failed(ex);
            pauseFor(outage.backoff());
        }
    }

    private static boolean isNoGroup(Throwable ex) {
        for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
            if (cause instanceof RedisCommandExecutionException && cause.getMessage() != null
                    && cause.getMessage().startsWith("NOGROUP")) {
                return true;
            }
        }
        return false;
    }

    private void awaitResume() {
        synchronized (this.signal) {
            while (this.paused && !this.stopRequested) {
                try {
                    this.signal.wait();
                }
                catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                    this.stopRequested = true;
                }
            }
        }
    }

    private void pauseFor(Duration duration) {
        long deadline = System.nanoTime() + duration.toNanos();
        synchronized (this.signal) {
            long remaining;
            while (!this.stopRequested && (remaining = deadline - System.nanoTime()) > 0) {
                try {
                    TimeUnit.NANOSECONDS.timedWait(this.signal, remaining);
                }
                catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                    this.stopRequested = true;
                }
            }
        }
    }

    void pause() {
        this.paused = true;
        unblock();
    }

    void resume() {
        this.paused = false;
        synchronized (this.signal) {
            this.signal.notifyAll();
        }
    }

    boolean isPaused() {
        return this.paused;
    }

    /** Asks the reader to finish: a blocked read returns at once, a back-off or pause ends. */
    void requestStop() {
        this.stopRequested = true;
        synchronized (this.signal) {
            this.signal.notifyAll();
        }
        unblock();
    }

    /** Waits until the reader has finished, at most until {@code deadlineNanos} ({@link System#nanoTime()}). */
    boolean awaitFinished(long deadlineNanos) {
        synchronized (this.signal) {
            long remaining;
            while (!this.finished && (remaining = deadlineNanos - System.nanoTime()) > 0) {
                try {
                    TimeUnit.NANOSECONDS.timedWait(this.signal, remaining);
                }
                catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                    return this.finished;
                }
            }
            return this.finished;
        }
    }

    /**
     * {@code CLIENT UNBLOCK} makes a blocked {@code XREADGROUP} return as if it timed out, so nothing in
     * flight is lost. Where it is not allowed (an ACL without it) the read simply ends at its BLOCK timeout.
     */
    private void unblock() {
        long id = this.clientId;
        if (id < 0) {
            return;
        }
        try {
            this.connector.shared().async().clientUnblock(id, UnblockType.TIMEOUT);
        }
        catch (RuntimeException ex) {
            logger.debug("CLIENT UNBLOCK failed for " + this.identity + "; the read ends at its BLOCK timeout", ex);
        }
    }

    ReaderIdentity identity() {
        return this.identity;
    }

    /**
     * The acknowledgements of one connection. Each {@code XACK} is sent without waiting; its reply arrives
     * before the next read's and is checked then, so acknowledging costs no round trip of its own.
     */
    private final class Acks {

        private final StreamConnection connection;

        private RedisFuture<Long> last;

        Acks(StreamConnection connection) {
            this.connection = connection;
        }

        void send(List<String> ids) {
            if (!ids.isEmpty()) {
                this.last = this.connection.async().xack(StreamReader.this.key, StreamReader.this.group,
                        ids.toArray(new String[0]));
            }
        }

        void reportFailedLast() {
            if (this.last != null && this.last.isDone() && this.last.toCompletableFuture().isCompletedExceptionally()) {
                logger.warn("Acknowledgement failed for " + StreamReader.this.identity + "; those entries stay pending "
                        + "and are delivered again: " + this.last.getError());
            }
        }

        void awaitLast() {
            if (this.last == null) {
                return;
            }
            try {
                this.connection.await(this.last);
            }
            catch (RuntimeException ex) {
                logger.warn("Acknowledgement failed for " + StreamReader.this.identity + "; those entries stay pending "
                        + "and are delivered again: " + ex.getMessage());
            }
            this.last = null;
        }
    }

    /** Logs the first failure of an outage as a warning and the rest at debug, so a dead Redis does not flood the log. */
    private final class Outage {

        private int failures;

        void failed(Throwable ex) {
            this.failures++;
            if (this.failures == 1) {
                logger.warn("Reader for " + StreamReader.this.identity + " lost Redis at "
                        + StreamReader.this.connector.endpoint() + ": " + ex.getMessage()
                        + "; retrying with back-off up to " + MAX_BACKOFF.toSeconds() + "s");
            }
            else if (logger.isDebugEnabled()) {
                logger.debug("Reader for " + StreamReader.this.identity + " still cannot reach Redis (attempt "
                        + this.failures + "): " + ex.getMessage());
            }
        }

        void ended() {
            if (this.failures > 0) {
                logger.info("Reader for " + StreamReader.this.identity + " reconnected after " + this.failures
                        + " failed attempt(s)");
            }
            this.failures = 0;
        }

        Duration backoff() {
            long millis = FIRST_BACKOFF.toMillis() << Math.min(this.failures - 1, 10);
            return Duration.ofMillis(Math.min(millis, MAX_BACKOFF.toMillis()));
        }
    }
}
