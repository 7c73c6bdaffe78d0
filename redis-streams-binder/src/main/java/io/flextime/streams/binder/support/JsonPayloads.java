package io.flextime.streams.binder.support;

import java.nio.charset.StandardCharsets;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.ObjectWriter;

/**
 * Payloads the binder turns into JSON and back itself, for bindings that set Spring Cloud Stream's
 * {@code use-native-encoding} / {@code use-native-decoding}: the framework's message conversion is then skipped
 * (with its per-message header copies and converter look-ups; see README, Performance), and the entry's
 * {@code payload} field holds the same JSON it would have held.
 *
 * <p>The mapper is the one Spring Cloud Function's JSON converter uses when that is Jackson (the default), so
 * turning native encoding or decoding on for one side of a stream does not change what the other side sees.
 */
public final class JsonPayloads {

    private final ObjectWriter writer;

    private final ObjectMapper mapper;

    public JsonPayloads(ObjectMapper mapper) {
        this.mapper = mapper;
        this.writer = mapper.writer();
    }

    /**
     * The JSON of a payload the framework left unconverted.
     * @throws IllegalArgumentException when Jackson cannot write it
     */
    public byte[] write(Object payload) {
        try {
            return this.writer.writeValueAsBytes(payload);
        }
        catch (JacksonException ex) {
            throw new IllegalArgumentException("The Redis Streams binder cannot write the " + payload.getClass().getName()
                    + " payload as JSON (use-native-encoding is on, so the binder writes it): " + ex.getOriginalMessage(), ex);
        }
    }

    /**
     * Reads each payload as a {@code type}; a payload that is not such JSON fails as a malformed entry. Text and
     * bytes are read as {@link StreamEntryCodec#encode} writes them: as they are, not as JSON.
     */
    public PayloadReader readerFor(Class<?> type) {
        if (type == byte[].class) {
            return PayloadReader.BYTES;
        }
        if (type == String.class) {
            return (stream, id, payload) -> new String(payload, StandardCharsets.UTF_8);
        }
        ObjectReader reader = this.mapper.readerFor(type);
        String expected = "a JSON " + type.getName();
        return (stream, id, payload) -> {
            try {
                return reader.readValue(payload);
            }
            catch (RuntimeException ex) {
                // Jackson's own, or one an application deserializer threw: the entry is just as unreadable.
                String reason = ex instanceof JacksonException jackson ? jackson.getOriginalMessage() : ex.toString();
                throw new MalformedEntryException(stream, id, "the payload is not " + expected + " (payload-type): "
                        + reason, ex);
            }
        };
    }
}
