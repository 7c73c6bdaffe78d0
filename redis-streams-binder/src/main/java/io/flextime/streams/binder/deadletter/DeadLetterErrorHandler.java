package io.flextime.streams.binder.deadletter;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.lettuce.core.Range;
import io.lettuce.core.RedisException;
import io.lettuce.core.StreamMessage;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.cloud.stream.binder.BinderHeaders;
import org.springframework.messaging.Message;
import org.springframework.messaging.MessageHandler;
import org.springframework.messaging.MessagingException;
import org.springframework.messaging.support.ErrorMessage;

import io.flextime.streams.binder.connection.RedisStreamsConnector;
import io.flextime.streams.binder.connection.StreamConnection;
import io.flextime.streams.binder.support.RedisStreamHeaders;
import io.flextime.streams.binder.support.StreamEntryCodec;

import static java.nio.charset.StandardCharsets.UTF_8;

/**
 * Subscribed to a consumer binding's error channel in place of the framework's rethrowing handler: a
 * message whose retries are exhausted, or an entry that could not be decoded, is written to the
 * dead-letter stream, and because this handler returns normally the reader then acknowledges the original.
 * A batch is dead-lettered record by record. If the write fails, the exception propagates and the original
 * stays pending.
 */
public class DeadLetterErrorHandler implements MessageHandler {

    private static final Log logger = LogFactory.getLog(DeadLetterErrorHandler.class);

    private final DeadLetterWriter writer;

    private final RedisStreamsConnector connector;

    private final DeadLetterStreams deadLetterStreams;

    private final String group;

    /** @param deadLetterStreams where each stream key's entries go */
    public DeadLetterErrorHandler(DeadLetterWriter writer, RedisStreamsConnector connector,
            DeadLetterStreams deadLetterStreams, String group) {
        this.writer = writer;
        this.connector = connector;
        this.deadLetterStreams = deadLetterStreams;
        this.group = group;
    }

    @Override
    public void handleMessage(Message<?> message) {
        ErrorMessage error = (ErrorMessage) message;
        Throwable cause = error.getPayload();
        Message<?> original = originalOf(error);
        if (original == null || !(original.getHeaders().get(RedisStreamHeaders.STREAM) instanceof String stream)) {
            throw new MessagingException("Cannot dead-letter a failure that carries no stream entry", cause);
        }
        Object batchHeaders = original.getHeaders().get(BinderHeaders.BATCH_HEADERS);
        if (batchHeaders instanceof List<?> perRecord && original.getPayload() instanceof List<?> payloads) {
            for (int i = 0; i < payloads.size(); i++) {
                @SuppressWarnings("unchecked")
                Map<String, Object> headers = (Map<String, Object>) perRecord.get(i);
                deadLetter(stream, payloads.get(i), headers, cause);
            }
        }
        else {
            deadLetter(stream, original.getPayload(), original.getHeaders(), cause);
        }
    }

    private void deadLetter(String stream, Object payload, Map<String, Object> headers, Throwable cause) {
        String id = (String) headers.get(RedisStreamHeaders.RECORD_ID);
        String deadLetterStream = this.deadLetterStreams.forEntry(stream, this.group);
        String dlqId;
        try {
            dlqId = this.writer.write(deadLetterStream, new DeadLetter(storedFields(stream, id, payload, headers),
                    stream, id, this.group, this.writer.deliveryCount(stream, this.group, id), cause));
        }
        catch (RuntimeException ex) {
            // Said here: the reader only logs at DEBUG that the entry stays pending, which is also the normal outcome
            // with dead-lettering off, and a dead-letter stream Redis refuses would go unnoticed.
            logger.warn("Could not dead-letter entry " + id + " of '" + stream + "' (group '" + this.group + "') to '"
                    + deadLetterStream + "'; it stays pending and is handled again: " + DeadLetterWriter.rootCause(ex));
            throw ex;
        }
        if (dlqId == null) {
            logger.info("Entry " + id + " of '" + stream + "' (group '" + this.group + "') failed, but another consumer "
                    + "had already finished it; not dead-lettered");
            return;
        }
        logger.warn("Dead-lettered entry " + id + " of '" + stream + "' (group '" + this.group + "') to '"
                + deadLetterStream + "' as " + dlqId + ": " + DeadLetterWriter.rootCause(cause));
    }

    /**
     * The entry's fields as they are stored, read back by id: the failed message is what the framework made of the
     * entry (a converted payload, headers decoded, text fields that were not text garbled by UTF-8), not the entry.
     * An entry trimmed meanwhile is written from the message instead (see {@link DeadLetterWriter#encodedFields}).
     * @throws DeadLetterWriter.DeadLetterException when Redis cannot be asked: the entry then stays pending
     */
    private List<byte[]> storedFields(String stream, String id, Object payload, Map<String, Object> headers) {
        List<StreamMessage<byte[], byte[]>> entries;
        try {
            StreamConnection connection = this.connector.shared();
            entries = connection.await(connection.async().xrange(stream.getBytes(UTF_8), Range.create(id, id)));
        }
        catch (RedisException ex) {
            throw new DeadLetterWriter.DeadLetterException("Could not read entry " + id + " of '" + stream
                    + "' back to dead-letter it; it stays pending: " + ex.getMessage(), ex);
        }
        if (!entries.isEmpty() && !StreamEntryCodec.isTrimmed(entries.get(0))) {
            return StreamEntryCodec.storedFields(entries.get(0));
        }
        return this.writer.encodedFields(payload, new HashMap<>(headers));
    }

    private static Message<?> originalOf(ErrorMessage error) {
        if (error.getOriginalMessage() != null) {
            return error.getOriginalMessage();
        }
        return error.getPayload() instanceof MessagingException messaging ? messaging.getFailedMessage() : null;
    }
}
