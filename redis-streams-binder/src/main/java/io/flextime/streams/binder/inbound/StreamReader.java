package io.flextime.streams.binder.inbound;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

import io.lettuce.core.Consumer;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.models.stream.PendingMessage;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import io.flextime.streams.binder.connection.RedisStreamsConnector;
import io.flextime.streams.binder.connection.BlockingReadHandle;
import io.flextime.streams.binder.connection.StreamConnection;
import io.flextime.streams.binder.support.ReaderThreads;
import io.flextime.streams.monitor.GoneReplies;
import io.flextime.streams.monitor.InfoReply;

import static java.nio.charset.StandardCharsets.UTF_8;

/**
 * One reader thread of a consumer binding: one stream key, one consumer name, one dedicated connection.
 *
 * <ol>
 *   <li>On every (re)connect it first recovers its own pending entries, which is how unfinished work survives
 *   a crash or restart under the same consumer name.</li>
 *   <li>Then it loops on {@code XREADGROUP ... COUNT n BLOCK t >}; the ids of finished entries are
 *   acknowledged with one {@code XACK} per batch, pipelined ahead of the next read. After a full batch the
 *   next one is read ahead, without BLOCK, while the current one is handled.</li>
 *   <li>Every {@code claimInterval} it takes over entries other consumers left pending for longer than
 *   {@code claimMinIdle}, and the first reader of a key removes consumers that are long idle and hold
 *   nothing.</li>
 * </ol>
 *
 * <p><b>Recovered entries</b> (own pending and claimed ones) are taken one at a time: {@code XCLAIM} to itself
 * (in a script, only while it still owns the entry) counts the delivery and returns the body, the entry is
 * handled, and its {@code XACK} goes out at once; the rest of the page counts as in hand meanwhile. So
 * a delivery count only grows for an entry that was actually handed out, and an entry delivered more than
 * {@code maxDeliveries} times (a poison message that kills the process) is dead-lettered unhandled, while
 * the innocent entries behind it are not. (Reading the pending list with {@code XREADGROUP ... 0 COUNT n}
 * would count a delivery for all n entries on every restart.)
 *
 * <p>While entries are in hand, the adapter's refresh thread keeps them this consumer's
 * ({@link #refreshOwnership}). A lost connection or a restarted Redis is retried with back-off, logged once
 * per outage. A vanished group ({@code NOGROUP}) is recreated. A stop request ends a blocked read with
 * {@code CLIENT UNBLOCK}, finishes the entry in hand, writes the outstanding acks and hands what it took but
 * never started back to the group ({@link #releaseUnstarted}). A pause holds whatever was already read,
 * recovered entries included, until resume. Nothing a handler throws ends the reader.
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

    private final boolean firstOfKey;

    private final RedisStreamsConnector connector;

    private final EntryDispatcher dispatcher;

    private final Runnable groupRecreator;

    /** What the application holds unsettled in MANUAL mode (empty otherwise): kept, and passed over by recovery. */
    private final UnsettledEntries unsettled;

    private final Object signal = new Object();

    private volatile boolean stopRequested;

    private volatile boolean paused;

    private volatile BlockingReadHandle readHandle;

    private volatile boolean finished;

    private volatile String[] inHand = NOTHING;

    /**
     * Entries taken but not started when a stop arrived, each with the deliveries this consumer counted for it
     * without handing it out (1 if read fresh, else 0); released when the reader stops. Reader thread only.
     */
    private final Map<String, Integer> unstarted = new LinkedHashMap<>();

    /** Held by an ownership refresh and by the release, so that a refresh never undoes a release. */
    private final ReentrantLock ownership = new ReentrantLock();

    /** The next batch, read while the current one is handled; {@code null} when none was read ahead. */
    private volatile RedisFuture<List<StreamMessage<byte[], byte[]>>> readAhead;

    private boolean nameChecked;

    private long nextClaimNanos;

    /**
     * @param firstOfKey whether this is the first reader of its stream key in the binding: it removes dead
     * consumers and checks that its consumer name is not in use by another process
     */
    StreamReader(ReaderIdentity identity, ReaderSettings settings, boolean firstOfKey, RedisStreamsConnector connector,
            EntryDispatcher dispatcher, Runnable groupRecreator, UnsettledEntries unsettled) {
        this.identity = identity;
        this.key = identity.stream().getBytes(UTF_8);
        this.group = identity.group().getBytes(UTF_8);
        this.consumer = Consumer.from(this.group, identity.consumer().getBytes(UTF_8));
        this.settings = settings;
        this.firstOfKey = firstOfKey;
        this.connector = connector;
        this.dispatcher = dispatcher;
        this.groupRecreator = groupRecreator;
        this.unsettled = unsettled;
    }

    /** Reads until stopped, as a reader thread (see {@link ReaderThreads}: its handlers' sends are confirmed). */
    @Override
    public void run() {
        ReaderThreads.runAsReader(this::readWithReconnects);
    }

    private void readWithReconnects() {
        Outage outage = new Outage();
        try {
            while (!this.stopRequested) {
                StreamConnection connection = null;
                try {
                    connection = this.connector.connect();
                    connection.allowBlockingFor(this.settings.block());
                    this.readHandle = connection.blockingReadHandle(this.key);
                    readUntilStopped(connection, outage);
                }
                catch (Throwable ex) {
                    if (this.stopRequested) {
                        break;
                    }
                    if (isNoGroup(ex)) {
                        // Not only lost data: XGROUP DESTROY, or another instance removing an anonymous group this reader,
                        // paused for longer than dead-consumer-idle, had left looking abandoned.
                        outage.failed(new IllegalStateException("group missing (destroyed, removed as abandoned "
                                + "after a long pause, or lost with Redis' data); recreating it", ex));
                        recreateGroupQuietly(outage);
                    }
                    else {
                        outage.failed(ex);
                    }
                    pauseFor(outage.backoff());
                }
                finally {
                    this.readHandle = null;
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

    private void readUntilStopped(StreamConnection connection, Outage outage) {
        Acks acks = new Acks(connection);
        try {
            if (this.firstOfKey && !this.nameChecked) {
                warnIfNameInUse(connection);
                this.nameChecked = true;
            }
            recoverOwnPending(connection, acks);
            outage.ended();
            this.nextClaimNanos = System.nanoTime() + this.settings.claimInterval().toNanos();
            while (!this.stopRequested) {
                List<StreamMessage<byte[], byte[]>> entries;
                if (this.readAhead != null) {
                    entries = connection.await(this.readAhead);
                    this.readAhead = null;
                }
                else if (this.paused) {
                    acks.awaitLast();
                    awaitResume();
                    continue;
                }
                else if (claimDue()) {
                    claimAbandoned(connection, acks);
                    this.nextClaimNanos = System.nanoTime() + this.settings.claimInterval().toNanos();
                    continue;
                }
                else {
                    if (!connection.stillValid(this.readHandle, this.key)) {
                        // The key's slot moved to another master (Redis Cluster): the read runs there now.
                        this.readHandle = connection.blockingReadHandle(this.key);
                    }
                    entries = connection.await(connection.async().xreadgroup(this.consumer,
                                    XReadArgs.Builder.count(this.settings.count()).block(blockUntilNextClaim()),
                                    XReadArgs.StreamOffset.lastConsumed(this.key)),
                            this.settings.block().plus(connection.commandTimeout()));
                }
                if (entries.isEmpty()) {
                    continue;
                }
                if (entries.size() == this.settings.count() && !this.paused && !this.stopRequested && !claimDue()) {
                    this.readAhead = readAhead(connection);
                }
                handleFresh(entries, acks);
            }
            releaseUnstarted(connection);
        }
        finally {
            this.readAhead = null;
            this.unstarted.clear();
            acks.awaitLast();
        }
    }

    /**
     * Hands the entries this reader took but never started (the rest of the batch in hand, a batch read
     * ahead, the rest of a recovered or claimed page) back to the group, so that another consumer claims them
     * at its next claim pass instead of after {@code claimMinIdle}, without the deliveries counted here: they
     * were never handed out. They stay pending under this consumer name until then, so a restart under the
     * same name still recovers them first. If the release fails, they wait {@code claimMinIdle} as after a
     * crash.
     */
    private void releaseUnstarted(StreamConnection connection) {
        this.ownership.lock();
        try {
            RedisFuture<List<StreamMessage<byte[], byte[]>>> ahead = this.readAhead;
            this.readAhead = null;
            if (ahead != null) {
                try {
                    connection.await(ahead).forEach(entry -> this.unstarted.put(entry.getId(), 1));
                }
                catch (RuntimeException ex) {
                    logger.warn("Stopping " + this.identity + ": the batch read ahead did not arrive; whatever it "
                            + "took stays pending and is claimed after " + this.settings.claimMinIdle() + ": "
                            + ex.getMessage());
                }
            }
            if (this.unstarted.isEmpty()) {
                return;
            }
            try {
                long released = StreamClaims.release(connection, this.key, this.consumer, this.settings.claimMinIdle(),
                        this.unstarted);
                logger.info("Stopping " + this.identity + ": released " + entries(released) + " it took but never "
                        + "started, for another consumer to claim at once");
            }
            catch (RuntimeException ex) {
                logger.warn("Stopping " + this.identity + ": could not release " + entries(this.unstarted.size())
                        + " it took but never started; they stay pending and are claimed after "
                        + this.settings.claimMinIdle() + ": " + ex.getMessage());
            }
        }
        finally {
            this.ownership.unlock();
        }
    }

    /**
     * Resets the idle time of the entries in hand (see {@link StreamClaims#refreshOwnership}); called from the
     * adapter's refresh thread. Never at the same time as the release on stop, which a late refresh would undo;
     * while a release runs there is nothing left to refresh, so this returns at once rather than hold up the
     * refresh of the adapter's other readers.
     */
    void refreshOwnership(StreamConnection connection) {
        if (!this.ownership.tryLock()) {
            return;
        }
        try {
            String[] ids = inHand();
            if (ids.length > 0) {
                StreamClaims.refreshOwnership(connection, this.key, this.consumer, ids);
            }
        }
        finally {
            this.ownership.unlock();
        }
    }

    private boolean claimDue() {
        return System.nanoTime() - this.nextClaimNanos >= 0;
    }

    /**
     * A full batch suggests more is waiting: the next batch is read while this one is handled, so the reply's
     * transfer and decoding overlap the handler instead of stalling it. Without BLOCK, so the acknowledgement
     * queued behind it on this connection is never held up. What it returns is delivered to this consumer at
     * once: should the reader stop before handling it, they are released with the rest of the unfinished batch.
     */
    private RedisFuture<List<StreamMessage<byte[], byte[]>>> readAhead(StreamConnection connection) {
        return connection.async().xreadgroup(this.consumer, XReadArgs.Builder.count(this.settings.count()),
                XReadArgs.StreamOffset.lastConsumed(this.key));
    }

    /** The read blocks at most until the next claim is due, so claiming keeps its rhythm on a quiet stream. */
    private Duration blockUntilNextClaim() {
        long untilClaim = Math.max(1, TimeUnit.NANOSECONDS.toMillis(this.nextClaimNanos - System.nanoTime()));
        return Duration.ofMillis(Math.min(this.settings.block().toMillis(), untilClaim));
    }

    /** Fresh entries ({@code >}) are on their first delivery, so the delivery limit needs no check here. */
    private void handleFresh(List<StreamMessage<byte[], byte[]>> entries, Acks acks) {
        List<String> finishedIds = new ArrayList<>(entries.size());
        this.inHand = ids(entries);
        boolean acknowledged = false;
        try {
            // A pause that arrived while the read was under way holds what it returned (owned, and refreshed as
            // any entry in hand) until resume: a paused binding must not hand anything to the application.
            awaitResume();
            if (this.settings.batchMode()) {
                if (this.stopRequested) {
                    leaveUnstarted(entries, 0);
                }
                else {
                    ReaderThreads.handling(List.of(this.inHand));
                    this.dispatcher.dispatchBatch(this.identity, entries, finishedIds);
                }
            }
            else {
                for (int i = 0; i < entries.size(); i++) {
                    // A pause arriving mid-batch holds the rest of the batch too (owned and refreshed, as in hand).
                    awaitResume();
                    if (this.stopRequested) {
                        leaveUnstarted(entries, i);
                        break;
                    }
                    ReaderThreads.handling(List.of(entries.get(i).getId()));
                    if (this.dispatcher.dispatch(this.identity, entries.get(i))) {
                        finishedIds.add(entries.get(i).getId());
                    }
                }
            }
            // Still in hand (refreshed) while the handlers' sends are confirmed: the wait may be long.
            acknowledged = true;
            acks.send(finishedIds);
        }
        catch (Throwable ex) {
            if (acknowledged) {
                throw ex;
            }
            // Something outside the handler failed mid-batch (an observation handler, an OutOfMemoryError while
            // decoding): the entries already finished are acknowledged before the reader reconnects, so its
            // recovery hands out only the rest again.
            try {
                acks.send(finishedIds);
            }
            catch (Throwable ackFailure) {
                // Whatever the acknowledgement throws, the failure that got here first is the one to report (the
                // JVM may throw one preallocated OutOfMemoryError twice, which cannot suppress itself).
                if (ackFailure != ex) {
                    ex.addSuppressed(ackFailure);
                }
            }
            throw ex;
        }
        finally {
            this.inHand = NOTHING;
        }
    }

    /** A recovered entry in batch mode: a batch of one. */
    private boolean dispatchAlone(StreamMessage<byte[], byte[]> entry) {
        List<String> finished = new ArrayList<>(1);
        this.dispatcher.dispatchBatch(this.identity, List.of(entry), finished);
        return !finished.isEmpty();
    }

    /** Fresh entries from {@code from} on: reading them counted a delivery that never reached the handler. */
    private void leaveUnstarted(List<StreamMessage<byte[], byte[]>> entries, int from) {
        for (int i = from; i < entries.size(); i++) {
            this.unstarted.put(entries.get(i).getId(), 1);
        }
    }

    /** This consumer's own pending entries, oldest first, one at a time (see the class comment). */
    private void recoverOwnPending(StreamConnection connection, Acks acks) {
        Range.Boundary<String> after = Range.Boundary.unbounded();
        while (!this.stopRequested) {
            List<PendingMessage> page = connection.await(connection.async().xpending(this.key, this.consumer,
                    Range.from(after, Range.Boundary.unbounded()), Limit.from(this.settings.count())));
            if (page.isEmpty()) {
                return;
            }
            if (!recoverPage(connection, page.stream().map(PendingMessage::getId).toList(), acks)) {
                return;
            }
            after = Range.Boundary.excluding(page.get(page.size() - 1).getId());
        }
    }

    /** Takes over entries other consumers left idle, then recovers them one at a time like its own. */
    private void claimAbandoned(StreamConnection connection, Acks acks) {
        String cursor = StreamClaims.START;
        do {
            StreamClaims.ClaimPage page = StreamClaims.autoClaimIds(connection, this.key, this.consumer,
                    this.settings.claimMinIdle(), cursor, this.settings.count());
            if (!page.trimmed().isEmpty()) {
                this.dispatcher.countTrimmed(this.identity, page.trimmed().size());
                acks.send(page.trimmed());
            }
            if (!page.ids().isEmpty()) {
                logger.info("Claimed " + entries(page.ids().size()) + " idle for over " + this.settings.claimMinIdle()
                        + " from other consumers for " + this.identity);
                this.dispatcher.countClaimed(this.identity, page.ids().size());
                if (!recoverPage(connection, page.ids(), acks)) {
                    return;
                }
            }
            cursor = page.next();
        }
        while (!StreamClaims.START.equals(cursor) && !this.stopRequested);
        if (this.firstOfKey) {
            DeadConsumers.remove(connection, this.key, this.group, this.identity, this.settings.deadConsumerIdle());
        }
    }

    /**
     * Recovers a page of entries this consumer owns, one at a time, in order. The rest of the page counts as
     * in hand meanwhile, so a slow handler or a pause does not let another consumer claim it; a stop releases
     * it, delivery counts unchanged (nothing was counted for it here).
     *
     * @return {@code false} if a stop ended it early
     */
    private boolean recoverPage(StreamConnection connection, List<String> page, Acks acks) {
        String[] ids = page.toArray(NOTHING);
        try {
            for (int i = 0; i < ids.length; i++) {
                this.inHand = Arrays.copyOfRange(ids, i, ids.length);
                if (this.unsettled.contains(ids[i])) {
                    // Delivered, and held by the application until it settles it (MANUAL mode): not again.
                    continue;
                }
                if (this.stopRequested || !recover(connection, ids[i], acks)) {
                    for (int left = i; left < ids.length; left++) {
                        this.unstarted.put(ids[left], 0);
                    }
                    return false;
                }
            }
            return true;
        }
        finally {
            // Also when Redis fails mid-page: entries this reader cannot work on must not be kept from others.
            this.inHand = NOTHING;
        }
    }

    /**
     * One recovered entry: {@code XCLAIM} to itself counts this delivery and fetches the body, unless another
     * consumer has claimed it since (then it is left to that one); then the delivery limit, the handler, and
     * an immediate {@code XACK}.
     *
     * @return {@code false} if a stop came first and the entry was left untouched
     */
    private boolean recover(StreamConnection connection, String id, Acks acks) {
        // A paused binding hands nothing out, recovered entries included (a binding stopped and started while
        // paused stays paused); the entries stay this consumer's, refreshed as in hand, until resume.
        awaitResume();
        if (this.stopRequested) {
            return false;
        }
        StreamClaims.OwnedClaim claim = StreamClaims.claimOwned(connection, this.key, this.consumer, id);
        if (!claim.owned()) {
            logger.debug("Entry " + id + " of " + this.identity + " was claimed by another consumer; left to it");
            return true;
        }
        if (claim.entry() == null) {
            // The body was trimmed away. Redis 7 drops such an id from the pending list as it claims; 6.2 keeps it.
            this.dispatcher.countTrimmed(this.identity, 1);
            acks.send(List.of(id));
            return true;
        }
        long deliveries = claim.previousDeliveries() + 1;
        boolean done;
        if (deliveries > this.settings.maxDeliveries()) {
            done = this.dispatcher.deadLetterOverLimit(this.identity, claim.entry(), deliveries);
        }
        else {
            ReaderThreads.handling(List.of(id));
            done = this.settings.batchMode() ? dispatchAlone(claim.entry()) : this.dispatcher.dispatch(this.identity, claim.entry());
        }
        if (done) {
            acks.send(List.of(id));
        }
        else {
            // Not acknowledged by this reader now (failed, or held in MANUAL mode): its sends need no tracking.
            ReaderThreads.forget();
        }
        return true;
    }

    /**
     * Two processes with one consumer name share one pending list and hand each other's work out twice. A
     * name that was active moments ago, before this reader existed, is probably such a twin.
     */
    private void warnIfNameInUse(StreamConnection connection) {
        List<Object> consumers = connection.await(connection.async().xinfoConsumers(this.key, this.group));
        for (Object reply : consumers) {
            InfoReply info = InfoReply.of(reply);
            long idle = info.number("idle", -1);
            if (this.identity.consumer().equals(info.text("name")) && idle >= 0
                    && idle < this.settings.block().toMillis() * 2 + 2_000) {
                logger.warn("Consumer name '" + this.identity.consumer() + "' in group '" + this.identity.group()
                        + "' on '" + this.identity.stream() + "' was active " + idle + " ms ago, before this "
                        + "reader started: is another process using the same name? Give each instance its own "
                        + "spring.cloud.stream.instance-index or consumer-name.");
            }
        }
    }

    private static String[] ids(List<StreamMessage<byte[], byte[]>> entries) {
        String[] ids = new String[entries.size()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = entries.get(i).getId();
        }
        return ids;
    }

    /**
     * Ids of the entries in hand, for ownership refresh: the batch being handled, the entries the application holds
     * unsettled in MANUAL mode, and a batch read ahead once it has arrived (it is this consumer's, and must not look
     * abandoned while the current batch takes long).
     */
    private String[] inHand() {
        String[] current = concat(this.inHand, this.unsettled.ids().toArray(NOTHING));
        RedisFuture<List<StreamMessage<byte[], byte[]>>> ahead = this.readAhead;
        if (ahead == null || !ahead.isDone() || ahead.toCompletableFuture().isCompletedExceptionally()) {
            return current;
        }
        return concat(current, ids(ahead.toCompletableFuture().join()));
    }

    private static String[] concat(String[] first, String[] second) {
        if (second.length == 0) {
            return first;
        }
        String[] both = Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, both, first.length, second.length);
        return both;
    }

    boolean isFinished() {
        return this.finished;
    }

    private void recreateGroupQuietly(Outage outage) {
        try {
            this.groupRecreator.run();
        }
        catch (RuntimeException ex) {
            outage.failed(ex);
        }
    }

    /**
     * Whether the group is gone: {@code NOGROUP}, or the stream key itself gone, which {@code XINFO CONSUMERS} (the
     * first command of a reader's first connection) reports as {@code ERR no such key}. Either way the group is
     * recreated, with its stream; taken for an outage, the reader would reconnect for ever.
     */
    static boolean isNoGroup(Throwable ex) {
        for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
            if (cause instanceof RedisCommandExecutionException && GoneReplies.isGone(cause.getMessage())) {
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
                    // Not a way to stop a reader (requestStop is): wait on.
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
                    // Not a way to stop a reader (requestStop is): wait on.
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

    /** Waits until the reader has finished, however long that takes. */
    void awaitFinished() {
        synchronized (this.signal) {
            while (!this.finished) {
                try {
                    this.signal.wait();
                }
                catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
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
        BlockingReadHandle handle = this.readHandle;
        if (handle == null) {
            return;
        }
        StreamConnection shared = this.connector.sharedIfOpened();
        if (shared == null) {
            return;
        }
        try {
            shared.unblock(handle);
        }
        catch (RuntimeException ex) {
            logger.debug("CLIENT UNBLOCK failed for " + this.identity + "; the read ends at its BLOCK timeout", ex);
        }
    }

    ReaderIdentity identity() {
        return this.identity;
    }

    /** "1 entry", "2 entries": counts in log lines. */
    private static String entries(long count) {
        return count + (count == 1 ? " entry" : " entries");
    }

    /**
     * The acknowledgements of one connection. Each {@code XACK} is sent without waiting, so acknowledging
     * costs no round trip of its own; a failure is logged when its reply arrives (not at the next read: with a
     * read ahead queued in front of it, the reply is rarely there yet).
     */
    private final class Acks {

        private final StreamConnection connection;

        private RedisFuture<Long> last;

        Acks(StreamConnection connection) {
            this.connection = connection;
        }

        /** Acknowledges those of {@code ids} whose handlers' sends Redis confirmed; the others stay pending. */
        void send(List<String> finished) {
            List<String> ids = ReaderThreads.confirmed(finished, this.connection.commandTimeout());
            if (ids.size() < finished.size()) {
                logger.warn((finished.size() - ids.size()) + " of " + entries(finished.size()) + " handled by "
                        + StreamReader.this.identity + " sent messages Redis did not confirm within "
                        + this.connection.commandTimeout() + "; they are not acknowledged, and come again unless the "
                        + "dead-letter flow already took them");
            }
            if (ids.isEmpty()) {
                return;
            }
            int count = ids.size();
            RedisFuture<Long> ack = this.connection.async().xack(StreamReader.this.key, StreamReader.this.group,
                    ids.toArray(new String[0]));
            ack.whenComplete((acknowledged, failure) -> {
                if (failure != null) {
                    warnFailed(count, failure.getMessage());
                }
            });
            this.last = ack;
        }

        /** Waits for the last {@code XACK}, and with it every one before it on this connection. */
        void awaitLast() {
            RedisFuture<Long> ack = this.last;
            this.last = null;
            if (ack == null) {
                return;
            }
            try {
                this.connection.await(ack);
            }
            catch (RuntimeException ex) {
                if (!ack.isDone()) {
                    warnFailed(-1, "no reply within the command timeout: " + ex.getMessage());
                }
            }
        }

        private void warnFailed(int count, String reason) {
            logger.warn("Acknowledgement of " + (count < 0 ? "the last batch" : entries(count)) + " failed for "
                    + StreamReader.this.identity + "; they stay pending and are delivered again: " + reason);
        }
    }

    /**
     * Logs the first failure of an outage as a warning and the rest at debug, so a dead Redis does not flood
     * the log. An outage ends only when recovery and reading work again, not merely when a connection opens
     * (Redis answers while it is still loading its data).
     */
    private final class Outage {

        private int failures;

        void failed(Throwable ex) {
            this.failures++;
            if (this.failures == 1) {
                logger.warn("Reader for " + StreamReader.this.identity + " cannot read from Redis at "
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
