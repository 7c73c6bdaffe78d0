package io.flextime.streams.binder.inbound;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.lettuce.core.Range;
import io.lettuce.core.RedisException;
import io.lettuce.core.StreamMessage;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.messaging.Message;
import org.springframework.messaging.MessageHeaders;
import org.springframework.messaging.support.MessageBuilder;

import io.flextime.streams.binder.connection.RedisStreamsConnector;
import io.flextime.streams.binder.connection.StreamConnection;
import io.flextime.streams.binder.deadletter.DeadLetter;
import io.flextime.streams.binder.deadletter.DeadLetterStreams;
import io.flextime.streams.binder.deadletter.DeadLetterWriter;
import io.flextime.streams.binder.support.RedisStreamHeaders;
import io.flextime.streams.binder.support.StreamEntryCodec;

import static java.nio.charset.StandardCharsets.UTF_8;

/**
 * Dead-lettering that happens outside the binding's error flow: entries delivered too often, entries a
 * handler rejected, entries a pollable source could not decode. Each method returns whether the entry may
 * now be acknowledged; without a dead-letter stream the entry stays pending, never silently dropped.
 */
final class EntryDeadLetters {

    private static final Log logger = LogFactory.getLog(EntryDeadLetters.class);

    private final RedisStreamsConnector connector;

    private final DeadLetterWriter writer;

    private final DeadLetterStreams deadLetterStreams;

    /** Ids already warned about, so an entry that comes back every claim interval is reported once. */
    private final Set<String> warned = ConcurrentHashMap.newKeySet();

    /** @param writer {@code null} when dead-lettering is off */
    EntryDeadLetters(RedisStreamsConnector connector, DeadLetterWriter writer, DeadLetterStreams deadLetterStreams) {
        this.connector = connector;
        this.writer = writer;
        this.deadLetterStreams = deadLetterStreams;
    }

    static EntryDeadLetters disabled(RedisStreamsConnector connector) {
        return new EntryDeadLetters(connector, null, null);
    }

    boolean overLimit(ReaderIdentity reader, StreamMessage<byte[], byte[]> entry, long deliveries, int maxDeliveries) {
        String reason = "delivered " + deliveries + " times, more than maxDeliveries=" + maxDeliveries
                + " (a handler that crashes the process?)";
        return write(reader, entry, deliveries, new DeliveryLimitExceededException(reason));
    }

    /** A handler's REJECT: fetch the entry by id and dead-letter it. */
    boolean rejected(ReaderIdentity reader, String id) {
        if (this.writer == null) {
            logger.warn("Entry " + id + " of " + reader + " was rejected; dead-lettering is off, so it stays pending");
            return false;
        }
        try {
            StreamConnection connection = this.connector.shared();
            List<StreamMessage<byte[], byte[]>> found = connection.await(
                    connection.async().xrange(reader.stream().getBytes(UTF_8), Range.create(id, id)));
            return found.isEmpty() || write(reader, found.get(0), deliveries(reader, id), new RejectedByHandlerException(reader, id));
        }
        catch (RedisException ex) {
            logger.error("Could not fetch rejected entry " + id + " of " + reader + "; it stays pending", ex);
            return false;
        }
    }

    boolean failed(ReaderIdentity reader, StreamMessage<byte[], byte[]> entry, Throwable cause) {
        return write(reader, entry, deliveries(reader, entry.getId()), cause);
    }

    private long deliveries(ReaderIdentity reader, String id) {
        return this.writer == null ? 1 : this.writer.deliveryCount(reader.stream(), reader.group(), id);
    }

    private boolean write(ReaderIdentity reader, StreamMessage<byte[], byte[]> entry, long deliveries, Throwable cause) {
        if (this.writer == null) {
            if (this.warned.size() > 10_000) {
                this.warned.clear();
            }
            if (this.warned.add(reader.stream() + " " + entry.getId())) {
                logger.warn("Entry " + entry.getId() + " of " + reader + " should be dead-lettered (" + cause.getMessage()
                        + "), but dead-lettering is off: it stays pending and is not handled again");
            }
            return false;
        }
        String deadLetterStream = this.deadLetterStreams.forEntry(reader.stream(), reader.group());
        try {
            String id = this.writer.write(deadLetterStream, new DeadLetter(StreamEntryCodec.storedFields(entry),
                    reader.stream(), entry.getId(), reader.group(), deliveries, cause));
            if (id != null) {
                logger.warn("Dead-lettered entry " + entry.getId() + " of " + reader + " to '" + deadLetterStream
                        + "': " + cause.getMessage());
            }
            return true;
        }
        catch (RuntimeException ex) {
            logger.error("Could not dead-letter entry " + entry.getId() + " of " + reader + "; it stays pending", ex);
            return false;
        }
    }

    /**
     * What the error flow gets for an entry that cannot be decoded: the raw payload, and the header fields as text
     * (its dead letter is written from the stored fields, not from this). Fields named
     * {@code id} or {@code timestamp} (an entry some other producer wrote) are left out: every message gets its own,
     * and setting them throws, which used to fail the reader on that entry again and again.
     */
    static Message<byte[]> rawMessage(ReaderIdentity reader, StreamMessage<byte[], byte[]> entry) {
        MessageBuilder<byte[]> builder = MessageBuilder.withPayload(StreamEntryCodec.rawPayload(entry));
        if (entry.getBody() != null) {
            entry.getBody().forEach((name, value) -> {
                String field = new String(name, UTF_8);
                if (!StreamEntryCodec.PAYLOAD_FIELD.equals(field) && !StreamEntryCodec.HEADER_TYPES_FIELD.equals(field)
                        && !MessageHeaders.ID.equals(field) && !MessageHeaders.TIMESTAMP.equals(field)) {
                    builder.setHeader(field, new String(value, UTF_8));
                }
            });
        }
        return builder.setHeader(RedisStreamHeaders.STREAM, reader.stream())
                .setHeader(RedisStreamHeaders.RECORD_ID, entry.getId())
                .setHeader(RedisStreamHeaders.GROUP, reader.group())
                .setHeader(RedisStreamHeaders.CONSUMER, reader.consumer())
                .build();
    }

    /** Why an entry was dead-lettered without being handled: it had been delivered too often. */
    public static class DeliveryLimitExceededException extends RuntimeException {

        DeliveryLimitExceededException(String message) {
            super(message);
        }
    }

    /** Why an entry was dead-lettered: the handler rejected it (AcknowledgmentCallback REJECT). */
    public static class RejectedByHandlerException extends RuntimeException {

        RejectedByHandlerException(ReaderIdentity reader, String id) {
            super("Entry " + id + " of " + reader + " was rejected by the handler (AcknowledgmentCallback REJECT)");
        }
    }
}
