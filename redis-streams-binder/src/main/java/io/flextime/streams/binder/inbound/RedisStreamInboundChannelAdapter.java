package io.flextime.streams.binder.inbound;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import io.lettuce.core.StreamMessage;

import org.springframework.core.retry.RetryException;
import org.springframework.core.retry.RetryTemplate;
import org.springframework.integration.core.Pausable;
import org.springframework.integration.core.RecoveryCallback;
import org.springframework.integration.endpoint.MessageProducerSupport;
import org.springframework.integration.support.ErrorMessageUtils;
import org.springframework.messaging.Message;
import org.springframework.messaging.MessagingException;
import org.springframework.messaging.support.MessageBuilder;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;

import io.flextime.streams.binder.connection.RedisStreamsConnector;
import io.flextime.streams.binder.properties.RedisConsumerProperties;
import io.flextime.streams.binder.support.MalformedEntryException;
import io.flextime.streams.binder.support.RedisStreamHeaders;
import io.flextime.streams.binder.support.StreamEntryCodec;

/**
 * The consumer endpoint of one binding: {@code concurrency} {@link StreamReader}s per stream key, each on
 * its own thread and connection, all feeding the binding's channel.
 *
 * <p>An entry is acknowledged only when its delivery returned normally: the handler succeeded (after any
 * retries), or the binding's error flow dealt with the failure (a user error handler, or later a
 * dead-letter handler). When the error flow rethrows, as it does by default, the entry stays pending.
 */
public class RedisStreamInboundChannelAdapter extends MessageProducerSupport implements Pausable, EntryDispatcher {

    private final RedisStreamsConnector connector;

    private final StreamEntryCodec codec;

    private final List<ReaderIdentity> readerIdentities;

    private final RedisConsumerProperties properties;

    private final GroupRecreator groupRecreator;

    private final List<StreamReader> readers = new ArrayList<>();

    private final AtomicLong trimmedEntries = new AtomicLong();

    private RetryTemplate retryTemplate;

    private RecoveryCallback<?> recoveryCallback;

    private volatile boolean paused;

    /**
     * @param readerIdentities one per reader thread: stream key, group and consumer name
     * @param groupRecreator recreates a group that vanished (for {@code NOGROUP})
     */
    public RedisStreamInboundChannelAdapter(RedisStreamsConnector connector, StreamEntryCodec codec,
            List<ReaderIdentity> readerIdentities, RedisConsumerProperties properties, GroupRecreator groupRecreator) {
        this.connector = connector;
        this.codec = codec;
        this.readerIdentities = List.copyOf(readerIdentities);
        this.properties = properties;
        this.groupRecreator = groupRecreator;
    }

    /** Retry each delivery in-process with this template; when it gives up, call the recovery callback. */
    public void setRetry(RetryTemplate retryTemplate, RecoveryCallback<?> recoveryCallback) {
        this.retryTemplate = retryTemplate;
        this.recoveryCallback = recoveryCallback;
    }

    /** Entries whose bodies were trimmed away before they were read; acknowledged and counted, never handled. */
    public long getTrimmedEntryCount() {
        return this.trimmedEntries.get();
    }

    @Override
    protected void doStart() {
        CustomizableThreadFactory threads = new CustomizableThreadFactory("redis-streams-" + getComponentName() + "-");
        synchronized (this.readers) {
            for (ReaderIdentity identity : this.readerIdentities) {
                StreamReader reader = new StreamReader(identity, this.properties.getCount(), this.properties.getBlock(),
                        this.connector, this, () -> this.groupRecreator.recreate(identity.stream(), identity.group()));
                if (this.paused) {
                    reader.pause();
                }
                this.readers.add(reader);
                threads.newThread(reader).start();
            }
        }
    }

    /**
     * Stops reading, lets the entry in hand finish within {@code shutdownTimeout}, writes the outstanding
     * acknowledgements and closes the readers' connections. Unhandled entries stay pending for the same
     * consumer names.
     */
    @Override
    protected void doStop() {
        List<StreamReader> stopping;
        synchronized (this.readers) {
            stopping = new ArrayList<>(this.readers);
            this.readers.clear();
        }
        stopping.forEach(StreamReader::requestStop);
        long deadline = System.nanoTime() + this.properties.getShutdownTimeout().toNanos();
        for (StreamReader reader : stopping) {
            if (!reader.awaitFinished(deadline)) {
                logger.warn("Reader for " + reader.identity() + " did not finish within "
                        + this.properties.getShutdownTimeout() + "; its unacknowledged entries stay pending");
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
        if (entry.getBody() == null) {
            this.trimmedEntries.incrementAndGet();
            logger.debug(() -> "Entry " + entry.getId() + " of " + reader + " was trimmed before it was handled; acknowledging it");
            return true;
        }
        Message<byte[]> message;
        try {
            message = this.codec.decode(reader.stream(), entry);
        }
        catch (MalformedEntryException ex) {
            return reportMalformed(reader, entry, ex);
        }
        try {
            if (this.retryTemplate == null) {
                sendMessage(message);
            }
            else {
                sendWithRetry(message);
            }
            return true;
        }
        catch (RuntimeException ex) {
            logger.debug(ex, () -> "Entry " + entry.getId() + " of " + reader + " failed and stays pending");
            return false;
        }
    }

    private void sendWithRetry(Message<byte[]> message) {
        try {
            this.retryTemplate.execute(() -> {
                getMessagingTemplate().send(getRequiredOutputChannel(), message);
                return null;
            });
        }
        catch (RetryException ex) {
            this.recoveryCallback.recover(ErrorMessageUtils.getAttributeAccessor(message, message), ex.getCause());
        }
    }

    private boolean reportMalformed(ReaderIdentity reader, StreamMessage<byte[], byte[]> entry,
            MalformedEntryException ex) {
        Message<byte[]> raw = MessageBuilder.withPayload(StreamEntryCodec.rawPayload(entry))
                .setHeader(RedisStreamHeaders.STREAM, reader.stream())
                .setHeader(RedisStreamHeaders.RECORD_ID, entry.getId())
                .build();
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
