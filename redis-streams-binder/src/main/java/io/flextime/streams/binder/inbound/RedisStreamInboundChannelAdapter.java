package io.flextime.streams.binder.inbound;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.lettuce.core.StreamMessage;

import org.springframework.cloud.stream.binder.BinderHeaders;
import org.springframework.core.retry.RetryException;
import org.springframework.core.retry.RetryTemplate;
import io.micrometer.observation.ObservationRegistry;

import org.springframework.integration.IntegrationMessageHeaderAccessor;
import org.springframework.integration.core.Pausable;
import org.springframework.integration.support.management.observation.DefaultMessageReceiverObservationConvention;
import org.springframework.integration.support.management.observation.IntegrationObservation;
import org.springframework.integration.support.management.observation.MessageReceiverContext;
import org.springframework.integration.core.RecoveryCallback;
import org.springframework.integration.endpoint.MessageProducerSupport;
import org.springframework.integration.support.ErrorMessageUtils;
import org.springframework.messaging.Message;
import org.springframework.messaging.MessagingException;
import org.springframework.messaging.support.MessageBuilder;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;

import io.flextime.streams.binder.connection.RedisStreamsConnector;
import io.flextime.streams.binder.deadletter.DeadLetterStreams;
import io.flextime.streams.binder.deadletter.DeadLetterWriter;
import io.flextime.streams.binder.metrics.BinderMetrics;
import io.flextime.streams.binder.properties.AcknowledgeMode;
import io.flextime.streams.binder.properties.RedisConsumerProperties;
import io.flextime.streams.binder.support.MalformedEntryException;
import io.flextime.streams.binder.support.PayloadReader;
import io.flextime.streams.binder.support.RedisStreamHeaders;
import io.flextime.streams.binder.support.StreamEntryCodec;

/**
 * The consumer endpoint of one binding: {@code concurrency} {@link StreamReader}s per stream key, each on
 * its own thread and connection, all feeding the binding's channel.
 *
 * <p>In {@code AUTO} mode an entry is acknowledged only when its delivery returned normally: the handler
 * succeeded (after any retries), or the binding's error flow dealt with the failure (the dead-letter
 * handler, or a user error handler). When the error flow rethrows, the entry stays pending. In
 * {@code MANUAL} mode the handler settles each entry through its {@code acknowledgmentCallback} header.
 *
 * <p>While readers work on a batch, and while the application holds entries unsettled in {@code MANUAL} mode, a
 * scheduler refreshes their ownership every third of {@code claimMinIdle}, so a slow handler's entries, or those
 * an application settles later, are never claimed by another consumer mid-flight.
 */
public class RedisStreamInboundChannelAdapter extends MessageProducerSupport implements Pausable, EntryDispatcher {

    private final RedisStreamsConnector connector;

    private final StreamEntryCodec codec;

    private final List<ReaderIdentity> readerIdentities;

    private final RedisConsumerProperties properties;

    private final ReaderSettings settings;

    private final GroupRecreator groupRecreator;

    private final BinderMetrics metrics;

    private final List<StreamReader> readers = new ArrayList<>();

    /**
     * Per reader, what the application holds unsettled in MANUAL mode. Kept across a stop and start, as the
     * application's callbacks outlive them.
     */
    private final Map<ReaderIdentity, UnsettledEntries> unsettled = new ConcurrentHashMap<>();

    /** Readers asked to stop that have not finished yet: still refreshed, and awaited before new readers start. */
    private final List<StreamReader> stopping = new ArrayList<>();

    private final AtomicLong trimmedEntries = new AtomicLong();

    private final RefreshFailures refreshFailures;

    private RetryTemplate retryTemplate;

    private RecoveryCallback<?> recoveryCallback;

    private EntryDeadLetters deadLetters;

    private ObservationRegistry observations = ObservationRegistry.NOOP;

    private ScheduledExecutorService ownershipRefresher;

    private volatile boolean paused;

    private PayloadReader payloads = PayloadReader.BYTES;

    /**
     * @param readerIdentities one per reader thread: stream key, group and consumer name
     * @param batchMode whether each read batch goes to the handler as one {@code Message<List<?>>} of payloads
     * @param groupRecreator recreates a group that vanished (for {@code NOGROUP})
     */
    public RedisStreamInboundChannelAdapter(RedisStreamsConnector connector, StreamEntryCodec codec,
            List<ReaderIdentity> readerIdentities, RedisConsumerProperties properties, boolean batchMode,
            GroupRecreator groupRecreator, BinderMetrics metrics) {
        this.connector = connector;
        this.codec = codec;
        this.readerIdentities = List.copyOf(readerIdentities);
        this.properties = properties;
        this.settings = ReaderSettings.of(properties, batchMode);
        this.groupRecreator = groupRecreator;
        this.metrics = metrics;
        this.deadLetters = EntryDeadLetters.disabled(connector);
        this.refreshFailures = new RefreshFailures(properties.getClaimMinIdle(), logger.getLog());
    }

    /** Retry each delivery in-process with this template; when it gives up, call the recovery callback. */
    public void setRetry(RetryTemplate retryTemplate, RecoveryCallback<?> recoveryCallback) {
        this.retryTemplate = retryTemplate;
        this.recoveryCallback = recoveryCallback;
    }

    /** What the handler gets as each entry's payload: its bytes (the default), or what native decoding makes of them. */
    public void setPayloadReader(PayloadReader payloads) {
        this.payloads = payloads;
    }

    /** Where entries over {@code maxDeliveries}, and rejected ones in manual mode, are dead-lettered. */
    public void setDeadLetters(DeadLetterWriter writer, DeadLetterStreams deadLetterStreams) {
        this.deadLetters = new EntryDeadLetters(this.connector, writer, deadLetterStreams);
    }

    /**
     * With a real registry, each delivery is a consumer observation that continues the trace the producer
     * wrote into the entry ({@code traceparent}), so handler spans join the producer's trace.
     */
    public void setObservations(ObservationRegistry observations) {
        this.observations = observations;
    }

    /** Entries whose bodies were trimmed away before they were handled; acknowledged and counted, never handled. */
    public long getTrimmedEntryCount() {
        return this.trimmedEntries.get();
    }

    @Override
    protected void doStart() {
        Map<ReaderIdentity, StreamReader> stillBusy = awaitStoppingReaders();
        CustomizableThreadFactory threads = new CustomizableThreadFactory("redis-streams-" + getComponentName() + "-");
        synchronized (this.readers) {
            String previousKey = null;
            for (ReaderIdentity identity : this.readerIdentities) {
                boolean firstOfKey = !identity.stream().equals(previousKey);
                previousKey = identity.stream();
                StreamReader reader = new StreamReader(identity, this.settings, firstOfKey, this.connector, this,
                        () -> this.groupRecreator.recreate(identity.stream(), identity.group()), unsettled(identity));
                if (this.paused) {
                    reader.pause();
                }
                this.readers.add(reader);
                StreamReader predecessor = stillBusy.get(identity);
                threads.newThread(predecessor == null ? reader : () -> {
                    predecessor.awaitFinished();
                    reader.run();
                }).start();
            }
        }
        if (this.ownershipRefresher != null) {
            this.ownershipRefresher.shutdownNow();
        }
        long refreshMillis = this.properties.ownershipRefreshPeriod().toMillis();
        ScheduledExecutorService refresher = Executors.newSingleThreadScheduledExecutor(
                new CustomizableThreadFactory("redis-streams-refresh-" + getComponentName() + "-"));
        refresher.scheduleWithFixedDelay(() -> refreshOwnership(refresher), refreshMillis, refreshMillis,
                TimeUnit.MILLISECONDS);
        this.ownershipRefresher = refresher;
    }

    /**
     * A reader that did not finish within the shutdown timeout still works under its consumer name. A new one
     * with the same name would recover that reader's entry in hand as its own and deliver it a second time
     * while the first delivery runs, and the old reader's release on finishing would then hand the new one's
     * entries to other consumers; so the new reader starts only once its predecessor has finished.
     * @return the predecessors still busy, by identity
     */
    private Map<ReaderIdentity, StreamReader> awaitStoppingReaders() {
        List<StreamReader> previous;
        synchronized (this.readers) {
            previous = new ArrayList<>(this.stopping);
        }
        long deadline = System.nanoTime() + this.properties.getShutdownTimeout().toNanos();
        Map<ReaderIdentity, StreamReader> stillBusy = new HashMap<>();
        for (StreamReader reader : previous) {
            if (!reader.awaitFinished(deadline)) {
                logger.warn("Reader for " + reader.identity() + " from before the restart is still busy; its "
                        + "successor starts reading when it has finished");
                stillBusy.put(reader.identity(), reader);
            }
        }
        return stillBusy;
    }

    /**
     * Keeps the entries in hand owned, those of readers still finishing after a stop included. Once the binding
     * is stopped and the last of them has finished, the refresher ends itself.
     */
    private void refreshOwnership(ScheduledExecutorService refresher) {
        List<StreamReader> current;
        synchronized (this.readers) {
            this.stopping.removeIf(StreamReader::isFinished);
            if (this.readers.isEmpty() && this.stopping.isEmpty()) {
                refresher.shutdown();
                return;
            }
            current = new ArrayList<>(this.readers);
            current.addAll(this.stopping);
        }
        for (StreamReader reader : current) {
            try {
                reader.refreshOwnership(this.connector.shared());
                this.refreshFailures.succeeded(reader.identity());
            }
            catch (RuntimeException ex) {
                this.refreshFailures.failed(reader.identity(), ex);
            }
        }
    }

    /**
     * Stops reading, lets the entry in hand finish within {@code shutdownTimeout}, writes the outstanding
     * acknowledgements and closes the readers' connections. Entries taken but never started (the rest of the
     * batch in hand, a batch read ahead, the rest of a recovered page) are released: still pending under the
     * same consumer names, but claimable by another consumer at once.
     */
    @Override
    protected void doStop() {
        List<StreamReader> stopped;
        synchronized (this.readers) {
            stopped = new ArrayList<>(this.readers);
            this.stopping.addAll(stopped);
            this.readers.clear();
        }
        stopped.forEach(StreamReader::requestStop);
        long deadline = System.nanoTime() + this.properties.getShutdownTimeout().toNanos();
        for (StreamReader reader : stopped) {
            if (!reader.awaitFinished(deadline)) {
                logger.warn("Reader for " + reader.identity() + " did not finish within "
                        + this.properties.getShutdownTimeout() + "; its unacknowledged entries stay pending");
            }
        }
        synchronized (this.readers) {
            this.stopping.removeIf(StreamReader::isFinished);
            // Readers still finishing keep the refresher, which ends itself after the last of them.
            if (this.stopping.isEmpty() && this.ownershipRefresher != null) {
                this.ownershipRefresher.shutdownNow();
            }
        }
    }

    @Override
    public void pause() {
        this.paused = true;
        synchronized (this.readers) {
            this.readers.forEach(StreamReader::pause);
        }
    }

    @Override
    public void resume() {
        this.paused = false;
        synchronized (this.readers) {
            this.readers.forEach(StreamReader::resume);
        }
    }

    @Override
    public boolean isPaused() {
        return this.paused;
    }

    @Override
    public boolean dispatch(ReaderIdentity reader, StreamMessage<byte[], byte[]> entry) {
        if (StreamEntryCodec.isTrimmed(entry)) {
            countTrimmed(reader, 1);
            return true;
        }
        Map<String, Object> headers = readerHeaders(reader, entry.getId());
        Message<?> message;
        try {
            message = this.codec.decode(reader.stream(), entry, headers, this.payloads);
        }
        catch (MalformedEntryException ex) {
            letGoUnsettled(headers.get(IntegrationMessageHeaderAccessor.ACKNOWLEDGMENT_CALLBACK));
            return reportMalformed(reader, entry, ex);
        }
        return deliver(message, reader, 1);
    }

    @Override
    public void dispatchBatch(ReaderIdentity reader, List<StreamMessage<byte[], byte[]>> entries, List<String> finished) {
        List<Object> payloads = new ArrayList<>(entries.size());
        List<Map<String, Object>> headers = new ArrayList<>(entries.size());
        List<String> ids = new ArrayList<>(entries.size());
        for (StreamMessage<byte[], byte[]> entry : entries) {
            if (StreamEntryCodec.isTrimmed(entry)) {
                countTrimmed(reader, 1);
                finished.add(entry.getId());
                continue;
            }
            try {
                // A plain map per record, as handlers that adjust batch headers expect; no message around it.
                StreamEntryCodec.DecodedEntry record = this.codec.decodeEntry(reader.stream(), entry, reader.headers(),
                        this.payloads);
                payloads.add(record.payload());
                headers.add(record.headers());
                ids.add(entry.getId());
            }
            catch (MalformedEntryException ex) {
                if (reportMalformed(reader, entry, ex)) {
                    finished.add(entry.getId());
                }
            }
        }
        if (!payloads.isEmpty()) {
            MessageBuilder<List<Object>> builder = MessageBuilder.withPayload(payloads)
                    .setHeader(BinderHeaders.BATCH_HEADERS, headers)
                    .setHeader(RedisStreamHeaders.STREAM, reader.stream())
                    .setHeader(RedisStreamHeaders.GROUP, reader.group())
                    .setHeader(RedisStreamHeaders.CONSUMER, reader.consumer());
            if (this.properties.getAcknowledgeMode() == AcknowledgeMode.MANUAL) {
                // One callback settles the whole batch, as the batch is handled as a whole.
                builder.setHeader(IntegrationMessageHeaderAccessor.ACKNOWLEDGMENT_CALLBACK, manualCallback(reader, ids));
            }
            Message<List<Object>> batch = builder.build();
            if (deliver(batch, reader, ids.size())) {
                finished.addAll(ids);
            }
        }
    }

    @Override
    public boolean deadLetterOverLimit(ReaderIdentity reader, StreamMessage<byte[], byte[]> entry, long deliveries) {
        return this.deadLetters.overLimit(reader, entry, deliveries, this.properties.getMaxDeliveries());
    }

    @Override
    public void countClaimed(ReaderIdentity reader, int count) {
        this.metrics.claimed(reader.stream(), reader.group(), count);
    }

    @Override
    public void countTrimmed(ReaderIdentity reader, int count) {
        this.trimmedEntries.addAndGet(count);
        logger.debug(() -> count + " pending entries of " + reader + " were trimmed before they were handled; acknowledged");
    }

    /**
     * Hands one message (or batch) to the binding; true when it may be acknowledged: the handler returned
     * (in AUTO mode; in MANUAL mode the handler acknowledges), or the error flow dealt with its failure.
     */
    private boolean deliver(Message<?> message, ReaderIdentity reader, int records) {
        if (this.observations.isNoop()) {
            return deliverUntraced(message, reader, records);
        }
        return IntegrationObservation.HANDLER.observation(null, DefaultMessageReceiverObservationConvention.INSTANCE,
                () -> new MessageReceiverContext(message, getComponentName(), "message-producer"), this.observations)
                .observe(() -> deliverUntraced(message, reader, records));
    }

    private boolean deliverUntraced(Message<?> message, ReaderIdentity reader, int records) {
        long started = System.nanoTime();
        try {
            boolean handledByErrorFlow = this.retryTemplate == null ? sendOrReportError(message) : sendWithRetry(message);
            count(reader, records, !handledByErrorFlow, System.nanoTime() - started);
            if (handledByErrorFlow) {
                letGoUnsettled(message.getHeaders().get(IntegrationMessageHeaderAccessor.ACKNOWLEDGMENT_CALLBACK));
            }
            return handledByErrorFlow || this.properties.getAcknowledgeMode() == AcknowledgeMode.AUTO;
        }
        catch (Throwable ex) {
            count(reader, records, false, System.nanoTime() - started);
            letGoUnsettled(message.getHeaders().get(IntegrationMessageHeaderAccessor.ACKNOWLEDGMENT_CALLBACK));
            // Errors too (an AssertionError, a StackOverflowError): the entry stays pending, the reader lives on.
            if (ex instanceof Error) {
                logger.error(ex, () -> "Handler threw an Error for entry " + message.getHeaders().get(RedisStreamHeaders.RECORD_ID)
                        + " of '" + message.getHeaders().get(RedisStreamHeaders.STREAM) + "'; it stays pending");
            }
            else {
                logger.debug(ex, () -> "Entry " + message.getHeaders().get(RedisStreamHeaders.RECORD_ID) + " of '"
                        + message.getHeaders().get(RedisStreamHeaders.STREAM) + "' failed and stays pending");
            }
            return false;
        }
        finally {
            clearLeftoverInterrupt(message);
        }
    }

    /**
     * A handler that caught an {@code InterruptedException} and restored the flag (the usual idiom) leaves it set
     * on the reader's thread, where it would fail the next read after Redis had already handed out its entries.
     * Nothing interrupts a reader to stop it ({@link StreamReader#requestStop()} sets a flag), so the flag is
     * cleared here.
     */
    private void clearLeftoverInterrupt(Message<?> message) {
        if (Thread.interrupted()) {
            Object id = message.getHeaders().get(RedisStreamHeaders.RECORD_ID);
            logger.warn(() -> "The handler of " + (id == null ? "a batch" : "entry " + id) + " of '"
                    + message.getHeaders().get(RedisStreamHeaders.STREAM) + "' left the reader's thread interrupted; "
                    + "the interrupt was cleared and the reader goes on");
        }
    }

    private void count(ReaderIdentity reader, int records, boolean succeeded, long nanos) {
        for (int i = 0; i < records; i++) {
            if (succeeded) {
                this.metrics.processed(reader.stream(), reader.group(), nanos / records);
            }
            else {
                this.metrics.failed(reader.stream(), reader.group());
            }
        }
    }

    /** @return whether the handler failed and the error channel took the failure without rethrowing */
    private boolean sendOrReportError(Message<?> message) {
        try {
            getMessagingTemplate().send(getRequiredOutputChannel(), message);
            return false;
        }
        catch (RuntimeException ex) {
            if (!sendErrorMessageIfNecessary(message, ex)) {
                throw ex;
            }
            return true;
        }
    }

    /**
     * An {@code Error} is neither retried nor dead-lettered (Spring's {@code RetryTemplate} would do both, as for an
     * exception): it says something is wrong with the process, not with the entry, which stays pending.
     * @return whether retries were exhausted and the recoverer took the failure without rethrowing
     */
    private boolean sendWithRetry(Message<?> message) {
        Error[] escaped = new Error[1];
        try {
            this.retryTemplate.execute(() -> {
                try {
                    getMessagingTemplate().send(getRequiredOutputChannel(), message);
                }
                catch (Error error) {
                    escaped[0] = error;
                }
                return null;
            });
            if (escaped[0] != null) {
                throw escaped[0];
            }
            return false;
        }
        catch (RetryException ex) {
            this.recoveryCallback.recover(ErrorMessageUtils.getAttributeAccessor(message, message), ex.getCause());
            return true;
        }
    }

    private Map<String, Object> readerHeaders(ReaderIdentity reader, String id) {
        if (this.properties.getAcknowledgeMode() != AcknowledgeMode.MANUAL) {
            return reader.headers();
        }
        return reader.headers(manualCallback(reader, List.of(id)));
    }

    /**
     * What the application settles {@code ids} through in manual mode. Until it does, or lets go of the message
     * unsettled, the entries stay in hand: an application may settle well after its handler returned.
     */
    private SettlingCallback manualCallback(ReaderIdentity reader, List<String> ids) {
        return new SettlingCallback(new RedisAcknowledgmentCallback(this.connector, reader, ids, false,
                this.deadLetters::rejected), unsettled(reader).hold(ids));
    }

    /** A failed delivery in MANUAL mode: the application does not hold what it did not settle. */
    private static void letGoUnsettled(Object callback) {
        if (callback instanceof SettlingCallback settling && !settling.isAcknowledged()) {
            settling.letGo();
        }
    }

    private UnsettledEntries unsettled(ReaderIdentity reader) {
        return this.unsettled.computeIfAbsent(reader, identity -> new UnsettledEntries());
    }

    private boolean reportMalformed(ReaderIdentity reader, StreamMessage<byte[], byte[]> entry,
            MalformedEntryException ex) {
        Message<byte[]> raw = EntryDeadLetters.rawMessage(reader, entry);
        try {
            if (sendErrorMessageIfNecessary(raw, new MessagingException(raw, ex.getMessage(), ex))) {
                return true;
            }
            logger.error(ex.getMessage() + "; it stays pending (the binding has no error channel)");
            return false;
        }
        catch (RuntimeException rethrown) {
            logger.debug(rethrown, () -> "Malformed entry " + entry.getId() + " of " + reader + " stays pending");
            return false;
        }
    }

    /** Recreates a consumer group on a stream key. */
    @FunctionalInterface
    public interface GroupRecreator {

        void recreate(String stream, String group);
    }
}
