package io.flextime.streams.binder.deadletter;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.RedisException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.models.stream.PendingMessage;

import org.springframework.messaging.MessageHeaders;
import org.springframework.messaging.support.GenericMessage;

import io.flextime.streams.binder.connection.RedisStreamsConnector;
import io.flextime.streams.binder.connection.StreamConnection;
import io.flextime.streams.binder.metrics.BinderMetrics;
import io.flextime.streams.binder.support.StreamEntryCodec;

import static java.nio.charset.StandardCharsets.UTF_8;

/**
 * Writes dead letters: the original's fields as the wire format has them, plus the {@link DeadLetterFields}.
 * A failed write is thrown, so the original is not acknowledged and nothing is lost.
 *
 * <p>When the dead-letter stream shares the original's hash slot, which the default names guarantee
 * ({@link DeadLetterFields#defaultStream}), the {@code XADD} and the original's {@code XACK} run as one script:
 * a crash between them can no longer leave the original pending with its dead letter already written, to be
 * dead-lettered a second time. A configured stream in another slot gets a plain {@code XADD}, and the reader's
 * usual acknowledgement follows; on a cluster a script naming both would fail with {@code CROSSSLOT}.
 */
public class DeadLetterWriter {

    /**
     * An entry no longer pending (another consumer claimed and finished it meanwhile) is not written a second time.
     * The {@code XADD} goes before the {@code XACK}: Redis does not undo what a script wrote before it failed, so
     * with the acknowledgement first a refused {@code XADD} (a key of another type, an ACL without it) would have
     * left the original acknowledged and no dead letter. Now an error leaves the original pending.
     */
    private static final byte[] ACKNOWLEDGE_AND_ADD = """
            if #redis.call('XPENDING', KEYS[2], ARGV[1], ARGV[2], ARGV[2], 1) == 0 then
              return false
            end
            local id = redis.call('XADD', KEYS[1], '*', unpack(ARGV, 3))
            redis.call('XACK', KEYS[2], ARGV[1], ARGV[2])
            return id
            """.getBytes(UTF_8);

    private final RedisStreamsConnector connector;

    private final StreamEntryCodec codec;

    private final BinderMetrics metrics;

    public DeadLetterWriter(RedisStreamsConnector connector, StreamEntryCodec codec, BinderMetrics metrics) {
        this.connector = connector;
        this.codec = codec;
        this.metrics = metrics;
    }

    /**
     * @return the id of the dead-letter entry, or {@code null} when the original had already been acknowledged
     * (by another consumer that claimed it), so there was nothing to dead-letter
     */
    public String write(String deadLetterStream, DeadLetter letter) {
        List<byte[]> fields = new ArrayList<>(letter.fields());
        add(fields, DeadLetterFields.ORIGINAL_STREAM, letter.originalStream());
        add(fields, DeadLetterFields.ORIGINAL_ID, letter.originalId());
        add(fields, DeadLetterFields.GROUP, letter.group());
        add(fields, DeadLetterFields.DELIVERY_COUNT, String.valueOf(letter.deliveryCount()));
        Throwable root = rootCause(letter.cause());
        add(fields, DeadLetterFields.EXCEPTION_CLASS, root.getClass().getName());
        add(fields, DeadLetterFields.EXCEPTION_MESSAGE, String.valueOf(root.getMessage()));
        add(fields, DeadLetterFields.STACK_TRACE, boundedStackTrace(letter.cause()));
        add(fields, DeadLetterFields.FAILED_AT, Instant.now().toString());
        try {
            StreamConnection connection = this.connector.shared();
            byte[] target = deadLetterStream.getBytes(UTF_8);
            byte[] original = letter.originalStream().getBytes(UTF_8);
            String id;
            if (SlotHash.getSlot(target) == SlotHash.getSlot(original)) {
                List<byte[]> arguments = new ArrayList<>(fields.size() + 2);
                arguments.add(letter.group().getBytes(UTF_8));
                arguments.add(letter.originalId().getBytes(UTF_8));
                arguments.addAll(fields);
                byte[] reply = connection.await(connection.async().eval(ACKNOWLEDGE_AND_ADD, ScriptOutputType.VALUE,
                        new byte[][] { target, original }, arguments.toArray(new byte[0][])));
                if (reply == null) {
                    return null;
                }
                id = new String(reply, UTF_8);
            }
            else {
                id = connection.await(connection.async().xadd(target, fields.toArray()));
            }
            this.metrics.deadLettered(letter.originalStream(), letter.group());
            return id;
        }
        catch (RedisException ex) {
            throw new DeadLetterException("Could not dead-letter entry " + letter.originalId() + " of '"
                    + letter.originalStream() + "' to '" + deadLetterStream + "' at " + this.connector.endpoint()
                    + "; it stays pending: " + ex.getMessage(), ex);
        }
    }

    /**
     * An entry's fields as the binder would have written {@code payload} and {@code headers}: the dead letter of an
     * original that is no longer in its stream (trimmed before it could be read back). Bytes and text as they are,
     * an object (a natively decoded payload) as JSON, or as its text when it cannot be written as JSON.
     */
    public List<byte[]> encodedFields(Object payload, Map<String, Object> headers) {
        try {
            return Arrays.asList(this.codec.encode(new GenericMessage<>(payload, headers)));
        }
        catch (IllegalArgumentException ex) {
            Map<String, Object> asText = new HashMap<>(headers);
            asText.put(MessageHeaders.CONTENT_TYPE, "text/plain");
            return Arrays.asList(this.codec.encode(new GenericMessage<>(String.valueOf(payload), asText)));
        }
    }

    /** How often the entry was delivered, from the pending entries list; 1 if it cannot be read. */
    public long deliveryCount(String stream, String group, String id) {
        try {
            StreamConnection connection = this.connector.shared();
            List<PendingMessage> pending = connection.await(connection.async().xpending(stream.getBytes(UTF_8),
                    group.getBytes(UTF_8), Range.create(id, id), Limit.from(1)));
            return pending.isEmpty() ? 1 : pending.get(0).getRedeliveryCount();
        }
        catch (RedisException ex) {
            return 1;
        }
    }

    private static void add(List<byte[]> fields, String name, String value) {
        fields.add(name.getBytes(UTF_8));
        fields.add(value.getBytes(UTF_8));
    }

    /** The exception that explains the failure, below the framework's wrappers. */
    static Throwable rootCause(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root;
    }

    /**
     * The root cause's trace first, then the whole chain: the framework's wrappers print first and are long, and cut
     * at the limit they would leave out the one part that says what went wrong.
     */
    private static String boundedStackTrace(Throwable failure) {
        StringWriter text = new StringWriter();
        PrintWriter out = new PrintWriter(text);
        Throwable root = rootCause(failure);
        if (root != failure) {
            out.print("Root cause: ");
            root.printStackTrace(out);
            out.println();
        }
        failure.printStackTrace(out);
        String trace = text.toString();
        return trace.length() <= DeadLetterFields.STACK_TRACE_LIMIT ? trace
                : trace.substring(0, DeadLetterFields.STACK_TRACE_LIMIT) + "\n\t... (truncated)";
    }

    /** A dead letter could not be written; the original stays pending. */
    public static class DeadLetterException extends RuntimeException {

        DeadLetterException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
