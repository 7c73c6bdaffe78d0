package io.flextime.streams.binder.inbound;

import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.lettuce.core.Consumer;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.models.stream.PendingMessage;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.context.Lifecycle;
import org.springframework.integration.acks.AcknowledgmentCallback;
import org.springframework.integration.endpoint.AbstractMessageSource;
import org.springframework.messaging.Message;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;

import io.flextime.streams.binder.connection.RedisStreamsConnector;
import io.flextime.streams.binder.connection.StreamConnection;
import io.flextime.streams.binder.deadletter.DeadLetterStreams;
import io.flextime.streams.binder.deadletter.DeadLetterWriter;
import io.flextime.streams.binder.properties.RedisConsumerProperties;
import io.flextime.streams.binder.support.MalformedEntryException;
import io.flextime.streams.binder.support.PayloadReader;
import io.flextime.streams.binder.support.StreamEntryCodec;

import static java.nio.charset.StandardCharsets.UTF_8;

/**
 * The source behind a {@code PollableMessageSource} binding: each {@code poll()} reads at most one entry
 * without blocking, first from this consumer's own pending entries, then new ones. The message carries an
 * {@code AcknowledgmentCallback}: the framework accepts it after the handler returns and rejects it
 * (dead-letter) when the handler fails. Entries that cannot be decoded are dead-lettered on the spot.
 * Every {@code claimInterval} it takes over entries other consumers abandoned and goes through its own
 * pending entries again (so requeued ones come back); an own pending entry delivered more than
 * {@code maxDeliveries} times is dead-lettered unhandled. Partitioned sources take their keys in turn.
 *
 * <p>An entry handed out stays in hand until its callback is settled (by the framework after the handler, or by
 * the application when it deferred the acknowledgement): meanwhile its idle time is reset every third of
 * {@code claimMinIdle}, as the channel adapter does for its readers, so no other consumer claims it, and a
 * re-read of this consumer's own pending entries passes over it instead of handing it out a second time.
 */
public class RedisStreamMessageSource extends AbstractMessageSource<Object> implements Lifecycle {

    private static final Log logger = LogFactory.getLog(RedisStreamMessageSource.class);

    private final RedisStreamsConnector connector;

    private final StreamEntryCodec codec;

    private final RedisStreamInboundChannelAdapter.GroupRecreator groupRecreator;

    private final List<ReaderIdentity> readers;

    private final RedisConsumerProperties properties;

    private final RefreshFailures refreshFailures;

    private long nextRecoveryNanos;

    private final String[] pendingCursors;

    /** Per reader, the entries handed out and not yet settled. */
    private final List<UnsettledEntries> inHand;

    private ScheduledExecutorService ownershipRefresher;

    private EntryDeadLetters deadLetters;

    private PayloadReader payloads = PayloadReader.BYTES;

    private int next;

    private StreamConnection connection;

    private volatile boolean running;

    /**
     * @param readers one per stream key, all with this instance's consumer name
     * @param groupRecreator recreates a group that vanished (for {@code NOGROUP})
     */
    public RedisStreamMessageSource(RedisStreamsConnector connector, StreamEntryCodec codec, List<ReaderIdentity> readers,
            RedisConsumerProperties properties, RedisStreamInboundChannelAdapter.GroupRecreator groupRecreator) {
        this.connector = connector;
        this.groupRecreator = groupRecreator;
        this.codec = codec;
        this.readers = List.copyOf(readers);
        this.properties = properties;
        this.refreshFailures = new RefreshFailures(properties.getClaimMinIdle(), logger);
        this.nextRecoveryNanos = System.nanoTime() + properties.getClaimInterval().toNanos();
        this.pendingCursors = new String[readers.size()];
        Arrays.fill(this.pendingCursors, "0");
        this.inHand = readers.stream().map(reader -> new UnsettledEntries()).toList();
        this.deadLetters = EntryDeadLetters.disabled(connector);
    }

    public void setDeadLetters(DeadLetterWriter writer, DeadLetterStreams deadLetterStreams) {
        this.deadLetters = new EntryDeadLetters(this.connector, writer, deadLetterStreams);
    }

    /** What a poll hands out as the payload: the bytes (the default), or what native decoding makes of them. */
    public void setPayloadReader(PayloadReader payloads) {
        this.payloads = payloads;
    }

    @Override
    public String getComponentType() {
        return "redis:stream-message-source";
    }

    @Override
    protected synchronized Object doReceive() {
        if (!this.running) {
            return null;
        }
        try {
            return receiveNext();
        }
        catch (RuntimeException ex) {
            if (!StreamReader.isNoGroup(ex)) {
                throw ex;
            }
            // As a reader does: the group was destroyed, or lost with Redis' data. Every key's, since one missing
            // group would fail the polls of the others too; a group still there keeps its position.
            logger.warn("Group '" + this.readers.get(0).group() + "' is missing on a stream of this pollable source "
                    + "(destroyed, or lost with Redis' data); recreating it: " + ex.getMessage());
            this.readers.forEach(reader -> this.groupRecreator.recreate(reader.stream(), reader.group()));
            Arrays.fill(this.pendingCursors, "0");
            return null;
        }
    }

    private Message<?> receiveNext() {
        if (System.nanoTime() - this.nextRecoveryNanos >= 0) {
            recoverAbandoned();
            this.nextRecoveryNanos = System.nanoTime() + this.properties.getClaimInterval().toNanos();
        }
        for (int tried = 0; tried < this.readers.size(); tried++) {
            int index = this.next;
            this.next = (this.next + 1) % this.readers.size();
            Message<?> message = receiveFrom(index);
            if (message != null) {
                return message;
            }
        }
        return null;
    }

    /** Moves entries other consumers left idle into this consumer's pending list, then re-reads that list from the start. */
    private void recoverAbandoned() {
        StreamConnection current = connection();
        for (int index = 0; index < this.readers.size(); index++) {
            ReaderIdentity reader = this.readers.get(index);
            Consumer<byte[]> consumer = Consumer.from(reader.group().getBytes(UTF_8), reader.consumer().getBytes(UTF_8));
            String cursor = StreamClaims.START;
            do {
                StreamClaims.ClaimPage page = StreamClaims.autoClaimIds(current, reader.stream().getBytes(UTF_8), consumer,
                        this.properties.getClaimMinIdle(), cursor, this.properties.getCount());
                cursor = page.next();
            }
            while (!StreamClaims.START.equals(cursor));
            this.pendingCursors[index] = "0";
        }
    }

    private Message<?> receiveFrom(int index) {
        ReaderIdentity reader = this.readers.get(index);
        byte[] key = reader.stream().getBytes(UTF_8);
        Consumer<byte[]> consumer = Consumer.from(reader.group().getBytes(UTF_8), reader.consumer().getBytes(UTF_8));
        StreamConnection current = connection();
        while (true) {
            String cursor = this.pendingCursors[index];
            if (cursor != null) {
                cursor = pastEntriesInHand(current, key, consumer, cursor, this.inHand.get(index).ids());
            }
            XReadArgs.StreamOffset<byte[]> offset = cursor != null ? XReadArgs.StreamOffset.from(key, cursor)
                    : XReadArgs.StreamOffset.lastConsumed(key);
            List<StreamMessage<byte[], byte[]>> entries = current.await(
                    current.async().xreadgroup(consumer, XReadArgs.Builder.count(1), offset));
            if (entries.isEmpty()) {
                if (cursor == null) {
                    return null;
                }
                this.pendingCursors[index] = null;
                continue;
            }
            StreamMessage<byte[], byte[]> entry = entries.get(0);
            if (cursor != null) {
                this.pendingCursors[index] = entry.getId();
                // In hand after all: the pending entry the cursor was moved to went to another consumer meanwhile.
                // Rare; this read has counted a delivery for it, which pastEntriesInHand otherwise avoids.
                if (this.inHand.get(index).contains(entry.getId())
                        || (!StreamEntryCodec.isTrimmed(entry) && overLimitAndSettled(reader, key, consumer, entry))) {
                    // A trimmed one is let go below however often it was delivered: there is nothing to dead-letter.
                    continue;
                }
            }
            Message<?> message = toMessage(index, entry);
            if (message != null) {
                return message;
            }
        }
    }

    /**
     * Where to re-read this consumer's pending entries from so that those still in hand are passed over. Looked up
     * with {@code XPENDING}, which counts no delivery: reading an entry in hand with {@code XREADGROUP} only to
     * skip it would count one, and bring it closer to {@code maxDeliveries} without handing it out.
     */
    private static String pastEntriesInHand(StreamConnection connection, byte[] key, Consumer<byte[]> consumer,
            String cursor, Set<String> held) {
        if (held.isEmpty()) {
            return cursor;
        }
        List<PendingMessage> next = connection.await(connection.async().xpending(key, consumer,
                Range.from(Range.Boundary.excluding(cursor), Range.Boundary.unbounded()), Limit.from(held.size() + 1)));
        String past = cursor;
        for (PendingMessage pending : next) {
            if (!held.contains(pending.getId())) {
                break;
            }
            past = pending.getId();
        }
        return past;
    }

    /** An own pending entry delivered too often is dead-lettered here, never handed out again. */
    private boolean overLimitAndSettled(ReaderIdentity reader, byte[] key, Consumer<byte[]> consumer,
            StreamMessage<byte[], byte[]> entry) {
        long deliveries = StreamClaims.deliveryCounts(connection(), key, consumer, List.of(entry.getId()))
                .getOrDefault(entry.getId(), 1L);
        if (deliveries <= this.properties.getMaxDeliveries()) {
            return false;
        }
        if (this.deadLetters.overLimit(reader, entry, deliveries, this.properties.getMaxDeliveries())) {
            new RedisAcknowledgmentCallback(this.connector, reader, List.of(entry.getId()), true, this.deadLetters::rejected)
                    .acknowledge(AcknowledgmentCallback.Status.ACCEPT);
        }
        return true;
    }

    /** The message, or {@code null} for an entry settled here (trimmed away, or malformed and dead-lettered). */
    private Message<?> toMessage(int index, StreamMessage<byte[], byte[]> entry) {
        ReaderIdentity reader = this.readers.get(index);
        List<String> ids = List.of(entry.getId());
        SettlingCallback callback = new SettlingCallback(new RedisAcknowledgmentCallback(this.connector, reader, ids,
                true, this.deadLetters::rejected), this.inHand.get(index).hold(ids));
        if (StreamEntryCodec.isTrimmed(entry)) {
            callback.acknowledge(AcknowledgmentCallback.Status.ACCEPT);
            return null;
        }
        try {
            return this.codec.decode(reader.stream(), entry, reader.headers(callback), this.payloads);
        }
        catch (MalformedEntryException ex) {
            if (this.deadLetters.failed(reader, entry, ex)) {
                callback.acknowledge(AcknowledgmentCallback.Status.ACCEPT);
            }
            else {
                // Not handed out, so not in hand: a malformed one left pending is read again at the next recovery.
                callback.letGo();
            }
            return null;
        }
    }

    /**
     * Opened on first use and kept: Lettuce reconnects it by itself when Redis comes back. Opened again once closed,
     * which a Sentinel switch does to every connection of the binder so that each finds the new master.
     */
    private StreamConnection connection() {
        if (this.connection == null || this.connection.isClosed()) {
            this.connection = this.connector.connect();
        }
        return this.connection;
    }

    /** Resets the idle time of the entries in hand (see {@link StreamClaims#refreshOwnership}). */
    private void refreshOwnership() {
        for (int index = 0; index < this.readers.size(); index++) {
            String[] ids = this.inHand.get(index).ids().toArray(String[]::new);
            if (ids.length == 0) {
                continue;
            }
            ReaderIdentity reader = this.readers.get(index);
            try {
                StreamClaims.refreshOwnership(this.connector.shared(), reader.stream().getBytes(UTF_8),
                        Consumer.from(reader.group().getBytes(UTF_8), reader.consumer().getBytes(UTF_8)), ids);
                this.refreshFailures.succeeded(reader);
            }
            catch (RuntimeException ex) {
                this.refreshFailures.failed(reader, ex);
            }
        }
    }

    @Override
    public synchronized void start() {
        if (this.running) {
            return;
        }
        this.running = true;
        long refreshMillis = this.properties.ownershipRefreshPeriod().toMillis();
        CustomizableThreadFactory threads = new CustomizableThreadFactory("redis-streams-refresh-polled."
                + this.readers.get(0).stream() + "-");
        threads.setDaemon(true);
        this.ownershipRefresher = Executors.newSingleThreadScheduledExecutor(threads);
        this.ownershipRefresher.scheduleWithFixedDelay(this::refreshOwnership, refreshMillis, refreshMillis,
                TimeUnit.MILLISECONDS);
    }

    /**
     * Stops handing out entries. Entries still in hand are no longer refreshed while stopped: should their handlers
     * outlive the stop, another consumer may claim them after {@code claimMinIdle}. They stay in hand (their
     * callbacks let go of them), so a restart refreshes them again and does not hand them out a second time.
     */
    @Override
    public synchronized void stop() {
        this.running = false;
        if (this.ownershipRefresher != null) {
            this.ownershipRefresher.shutdownNow();
            this.ownershipRefresher = null;
        }
        if (this.connection != null) {
            this.connection.close();
            this.connection = null;
        }
    }

    @Override
    public boolean isRunning() {
        return this.running;
    }
}
