package io.flextime.streams.binder.inbound;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
 *   <li>Each entry goes to the binding; the ids of finished entries are acknowledged with one {@code XACK}
 *   per batch, pipelined ahead of the next read, so acknowledging costs no extra round trip.</li>
 * </ol>
 *
 * <p>A lost connection or a restarted Redis is retried with back-off, logged once per outage. A vanished
 * group ({@code NOGROUP}) is recreated. A stop request ends a blocked read with {@code CLIENT UNBLOCK},
 * finishes the entry in hand, leaves the rest of the batch pending and writes the outstanding acks.
 */
final class StreamReader implements Runnable {

    private static final Log logger = LogFactory.getLog(StreamReader.class);

    private static final Duration FIRST_BACKOFF = Duration.ofMillis(100);

    private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);

    private final ReaderIdentity identity;

    private final byte[] key;

    private final byte[] group;

    private final Consumer<byte[]> consumer;

    private final int count;

    private final Duration block;

    private final RedisStreamsConnector connector;

    private final EntryDispatcher dispatcher;

    private final Runnable groupRecreator;

    private final Object signal = new Object();

    private volatile boolean stopRequested;

    private volatile boolean paused;

    private volatile long clientId = -1;

    private volatile boolean finished;

    StreamReader(ReaderIdentity identity, int count, Duration block, RedisStreamsConnector connector,
            EntryDispatcher dispatcher, Runnable groupRecreator) {
        this.identity = identity;
        this.key = identity.stream().getBytes(UTF_8);
        this.group = identity.group().getBytes(UTF_8);
        this.consumer = Consumer.from(this.group, identity.consumer().getBytes(UTF_8));
        this.count = count;
        this.block = block;
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
        RedisFuture<Long> lastAck = null;
        try {
            while (!this.stopRequested) {
                if (this.paused) {
                    awaitAck(connection, lastAck);
                    lastAck = null;
                    awaitResume();
                    continue;
                }
                boolean draining = pendingCursor != null;
                XReadArgs args = draining ? XReadArgs.Builder.count(this.count)
                        : XReadArgs.Builder.count(this.count).block(this.block);
                XReadArgs.StreamOffset<byte[]> offset = draining ? XReadArgs.StreamOffset.from(this.key, pendingCursor)
                        : XReadArgs.StreamOffset.lastConsumed(this.key);
                List<StreamMessage<byte[], byte[]>> entries = connection.await(
                        connection.async().xreadgroup(this.consumer, args, offset),
                        this.block.plus(connection.commandTimeout()));
                reportFailedAck(lastAck);
                if (entries.isEmpty()) {
                    pendingCursor = null;
                    continue;
                }
                List<String> finishedIds = new ArrayList<>(entries.size());
                for (StreamMessage<byte[], byte[]> entry : entries) {
                    if (this.stopRequested) {
                        // The rest of the batch stays pending under this consumer name for the next start.
                        break;
                    }
                    if (draining) {
                        pendingCursor = entry.getId();
                    }
                    if (this.dispatcher.dispatch(this.identity, entry)) {
                        finishedIds.add(entry.getId());
                    }
                }
                if (!finishedIds.isEmpty()) {
                    lastAck = connection.async().xack(this.key, this.group, finishedIds.toArray(new String[0]));
                }
            }
        }
        finally {
            awaitAck(connection, lastAck);
        }
    }

    private void awaitAck(StreamConnection connection, RedisFuture<Long> ack) {
        if (ack == null) {
            return;
        }
        try {
            connection.await(ack);
        }
        catch (RuntimeException ex) {
            logger.warn("Acknowledgement failed for " + this.identity + "; those entries stay pending and are "
                    + "delivered again: " + ex.getMessage());
        }
    }

    private void reportFailedAck(RedisFuture<Long> ack) {
        if (ack != null && ack.isDone() && ack.toCompletableFuture().isCompletedExceptionally()) {
            logger.warn("Acknowledgement failed for " + this.identity + "; those entries stay pending and are "
                    + "delivered again: " + ack.getError());
        }
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
