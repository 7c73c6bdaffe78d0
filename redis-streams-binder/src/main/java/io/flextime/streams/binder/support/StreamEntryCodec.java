package io.flextime.streams.binder.support;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.lettuce.core.StreamMessage;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.core.io.JsonStringEncoder;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.cloud.stream.binder.BinderHeaders;
import org.springframework.integration.IntegrationMessageHeaderAccessor;
import org.springframework.messaging.Message;
import org.springframework.messaging.MessageChannel;
import org.springframework.messaging.MessageHeaders;
import org.springframework.messaging.support.GenericMessage;
import org.springframework.util.InvalidMimeTypeException;
import org.springframework.util.MimeType;

/**
 * The wire format: how a {@link Message} becomes the fields of one stream entry, and back.
 *
 * <ul>
 *   <li>{@code payload}: the payload bytes, unchanged. A payload the framework left unconverted (the binding
 *   uses native encoding) is written as JSON by {@link JsonPayloads}, with a {@code contentType} of
 *   {@code application/json} unless the message names a JSON type.</li>
 *   <li>one field per header, named as the header. Strings, numbers, booleans, UUIDs and MIME types are
 *   written as their text, so entries read well in {@code redis-cli} and RedisInsight; byte arrays as
 *   they are; anything else as JSON.</li>
 *   <li>{@code scst_headerTypes}: present only when a header is not a String, a JSON object naming each
 *   such header's type, e.g. {@code {"attempt":"int","traceId":"uuid"}}. Readers use it to give every
 *   header back its type.</li>
 * </ul>
 *
 * <p>Not written: {@code id} and {@code timestamp} (every message gets new ones), the binder's own
 * {@code redis_*} headers, {@code scst_partition} (the stream key is the partition), channel objects and
 * per-delivery framework state, which mean nothing in another process. A header named {@code payload} or
 * {@code scst_headerTypes} would clash with the format and is dropped with a warning.
 */
public final class StreamEntryCodec {

    public static final String PAYLOAD_FIELD = "payload";

    public static final String HEADER_TYPES_FIELD = "scst_headerTypes";

    private static final byte[] PAYLOAD_FIELD_BYTES = PAYLOAD_FIELD.getBytes(StandardCharsets.UTF_8);

    private static final byte[] HEADER_TYPES_FIELD_BYTES = HEADER_TYPES_FIELD.getBytes(StandardCharsets.UTF_8);

    /**
     * Also {@code scst_partition}: it picks the stream key the entry goes to, so it means nothing once there, and
     * read back it would travel on: a natively encoding function's output inherits its input's headers, and
     * would go to the input's partition instead of its own.
     */
    private static final Set<String> NOT_WRITTEN = Set.of(MessageHeaders.ID, MessageHeaders.TIMESTAMP,
            IntegrationMessageHeaderAccessor.DELIVERY_ATTEMPT, IntegrationMessageHeaderAccessor.ACKNOWLEDGMENT_CALLBACK,
            IntegrationMessageHeaderAccessor.SOURCE_DATA, BinderHeaders.PARTITION_HEADER);

    /** Entries written before {@code scst_partition} was left out still carry it; it is not read back. */
    private static final byte[] PARTITION_FIELD_BYTES = BinderHeaders.PARTITION_HEADER.getBytes(StandardCharsets.UTF_8);

    /** Header names and type maps repeat from message to message; caching them saves an allocation each. */
    private static final int CACHE_LIMIT = 1024;

    private static final Log logger = LogFactory.getLog(StreamEntryCodec.class);

    private static final byte[] CONTENT_TYPE_FIELD_BYTES = MessageHeaders.CONTENT_TYPE.getBytes(StandardCharsets.UTF_8);

    private static final byte[] JSON_CONTENT_TYPE_BYTES = "application/json".getBytes(StandardCharsets.UTF_8);

    private final JsonMapper jsonMapper;

    private final JsonPayloads payloads;

    private final Map<String, byte[]> fieldNames = new ConcurrentHashMap<>();

    private final Map<String, Map<String, HeaderType>> headerTypeMaps = new ConcurrentHashMap<>();

    /** Headers and payloads with the same mapper. */
    public StreamEntryCodec(JsonMapper jsonMapper) {
        this(jsonMapper, new JsonPayloads(jsonMapper));
    }

    /**
     * @param headerMapper writes and reads the headers that are neither text nor bytes; the binder's own, so
     * the header format does not change with the application's Jackson settings
     * @param payloads writes the payloads of natively encoding bindings
     */
    public StreamEntryCodec(JsonMapper headerMapper, JsonPayloads payloads) {
        this.jsonMapper = headerMapper;
        this.payloads = payloads;
    }

    /** Reads payloads as {@code type}, for a binding that decodes natively into it ({@code payload-type}). */
    public PayloadReader payloadReader(Class<?> type) {
        return this.payloads.readerFor(type);
    }

    /**
     * The alternating field names and values for {@code XADD}.
     * @throws IllegalArgumentException when the payload is neither bytes nor text and cannot be written as JSON
     */
    public byte[][] encode(Message<?> message) {
        Object payload = message.getPayload();
        MessageHeaders headers = message.getHeaders();
        List<byte[]> fields = new ArrayList<>(4 + headers.size() * 2);
        boolean contentTypeReplaced = false;
        fields.add(PAYLOAD_FIELD_BYTES);
        if (payload instanceof byte[] bytes) {
            fields.add(bytes);
        }
        else if (payload instanceof String text) {
            fields.add(text.getBytes(StandardCharsets.UTF_8));
        }
        else {
            fields.add(this.payloads.write(payload));
            // Also in place of a content type the message inherited (a Function's result carries its input's headers).
            contentTypeReplaced = !isJson(headers.get(MessageHeaders.CONTENT_TYPE));
            if (contentTypeReplaced) {
                fields.add(CONTENT_TYPE_FIELD_BYTES);
                fields.add(JSON_CONTENT_TYPE_BYTES);
            }
        }
        StringBuilder types = null;
        for (Map.Entry<String, Object> header : headers.entrySet()) {
            String name = header.getKey();
            Object value = header.getValue();
            if (!isWritten(name, value) || (contentTypeReplaced && MessageHeaders.CONTENT_TYPE.equals(name))) {
                continue;
            }
            HeaderType type = HeaderType.of(value);
            byte[] encoded = encodeValue(name, type, value);
            if (encoded == null) {
                continue;
            }
            fields.add(fieldName(name));
            fields.add(encoded);
            if (type != HeaderType.STRING) {
                types = appendType(types, name, type);
            }
        }
        if (types != null) {
            fields.add(HEADER_TYPES_FIELD_BYTES);
            fields.add(types.append('}').toString().getBytes(StandardCharsets.UTF_8));
        }
        return fields.toArray(new byte[0][]);
    }

    /**
     * The message for an entry read from {@code stream}, with {@code extraHeaders} (what the reader adds),
     * {@link RedisStreamHeaders#STREAM} and {@link RedisStreamHeaders#RECORD_ID} put into one header map: the
     * message's headers are built once per entry, not copied per addition. Its payload is what {@code payloads}
     * makes of the bytes.
     * @throws MalformedEntryException when the entry has no payload, a header cannot be decoded, or the payload
     * cannot be read
     */
    public Message<?> decode(String stream, StreamMessage<byte[], byte[]> entry, Map<String, Object> extraHeaders,
            PayloadReader payloads) {
        DecodedEntry decoded = decodeEntry(stream, entry, extraHeaders, payloads);
        return new GenericMessage<>(decoded.payload(), decoded.headers());
    }

    /**
     * As {@link #decode}, but the headers stay a plain mutable map: one record of a batch, whose headers travel
     * in {@code scst_batchHeaders}. No message is made for it, so no {@code id} and {@code timestamp} either.
     * @throws MalformedEntryException when the entry has no payload, a header cannot be decoded, or the payload
     * cannot be read
     */
    public DecodedEntry decodeEntry(String stream, StreamMessage<byte[], byte[]> entry, Map<String, Object> extraHeaders,
            PayloadReader payloads) {
        Map<byte[], byte[]> body = entry.getBody();
        if (body == null || body.isEmpty()) {
            throw new MalformedEntryException(stream, entry.getId(), "the entry has no fields", null);
        }
        byte[] payload = null;
        byte[] typesJson = null;
        for (Map.Entry<byte[], byte[]> field : body.entrySet()) {
            if (Arrays.equals(field.getKey(), PAYLOAD_FIELD_BYTES)) {
                payload = field.getValue();
            }
            else if (Arrays.equals(field.getKey(), HEADER_TYPES_FIELD_BYTES)) {
                typesJson = field.getValue();
            }
        }
        if (payload == null) {
            throw new MalformedEntryException(stream, entry.getId(), "no '" + PAYLOAD_FIELD + "' field (fields: "
                    + body.keySet().stream().map(name -> new String(name, StandardCharsets.UTF_8)).toList() + ")", null);
        }
        Map<String, HeaderType> types = headerTypes(stream, entry.getId(), typesJson);
        Map<String, Object> headers = new HashMap<>((body.size() + extraHeaders.size() + 4) * 2);
        for (Map.Entry<byte[], byte[]> field : body.entrySet()) {
            byte[] rawName = field.getKey();
            if (Arrays.equals(rawName, PAYLOAD_FIELD_BYTES) || Arrays.equals(rawName, HEADER_TYPES_FIELD_BYTES)
                    || Arrays.equals(rawName, PARTITION_FIELD_BYTES)) {
                continue;
            }
            String name = new String(rawName, StandardCharsets.UTF_8);
            HeaderType type = types.getOrDefault(name, HeaderType.STRING);
            headers.put(name, decodeValue(stream, entry.getId(), name, type, field.getValue()));
        }
        headers.putAll(extraHeaders);
        headers.put(RedisStreamHeaders.STREAM, stream);
        headers.put(RedisStreamHeaders.RECORD_ID, entry.getId());
        return new DecodedEntry(payloads.read(stream, entry.getId(), payload), headers);
    }

    /** An entry's payload, as its binding reads it, and its headers, decoded. */
    public record DecodedEntry(Object payload, Map<String, Object> headers) {
    }

    /**
     * Whether Redis returned the entry's id without its fields: it was trimmed or deleted while pending. Lettuce
     * gives such an entry an empty body ({@code XREADGROUP} with an id) or none (a claim script); a stored entry
     * always has at least one field.
     */
    public static boolean isTrimmed(StreamMessage<byte[], byte[]> entry) {
        return entry.getBody() == null || entry.getBody().isEmpty();
    }

    /** An entry's fields as they are stored, names and values alternating, nothing decoded; none for a trimmed one. */
    public static List<byte[]> storedFields(StreamMessage<byte[], byte[]> entry) {
        if (isTrimmed(entry)) {
            return List.of();
        }
        List<byte[]> fields = new ArrayList<>(entry.getBody().size() * 2);
        entry.getBody().forEach((name, value) -> {
            fields.add(name);
            fields.add(value);
        });
        return fields;
    }

    /** The raw payload of an entry, or an empty array: what an error message carries for a malformed entry. */
    public static byte[] rawPayload(StreamMessage<byte[], byte[]> entry) {
        if (entry.getBody() != null) {
            for (Map.Entry<byte[], byte[]> field : entry.getBody().entrySet()) {
                if (Arrays.equals(field.getKey(), PAYLOAD_FIELD_BYTES)) {
                    return field.getValue();
                }
            }
        }
        return new byte[0];
    }

    private static boolean isJson(Object contentType) {
        if (contentType == null) {
            return false;
        }
        try {
            MimeType type = contentType instanceof MimeType mime ? mime : MimeType.valueOf(contentType.toString());
            return "json".equals(type.getSubtype()) || type.getSubtype().endsWith("+json");
        }
        catch (InvalidMimeTypeException ex) {
            return false;
        }
    }

    private static boolean isWritten(String name, Object value) {
        if (NOT_WRITTEN.contains(name) || name.startsWith(RedisStreamHeaders.PREFIX) || value == null
                || value instanceof MessageChannel) {
            return false;
        }
        if (PAYLOAD_FIELD.equals(name) || HEADER_TYPES_FIELD.equals(name)) {
            logger.warn("Header '" + name + "' clashes with the stream entry format and is not sent");
            return false;
        }
        return true;
    }

    private byte[] encodeValue(String name, HeaderType type, Object value) {
        switch (type) {
            case BYTES:
                return (byte[]) value;
            case JSON:
                try {
                    return this.jsonMapper.writeValueAsBytes(value);
                }
                catch (JacksonException ex) {
                    logger.warn("Header '" + name + "' (" + value.getClass().getName()
                            + ") cannot be written as JSON and is not sent: " + ex.getOriginalMessage());
                    return null;
                }
            default:
                return value.toString().getBytes(StandardCharsets.UTF_8);
        }
    }

    private Object decodeValue(String stream, String id, String name, HeaderType type, byte[] value) {
        try {
            switch (type) {
                case STRING:
                    return new String(value, StandardCharsets.UTF_8);
                case BYTES:
                    return value;
                case JSON:
                    return this.jsonMapper.readValue(value, Object.class);
                default:
                    return type.parse(value);
            }
        }
        catch (RuntimeException ex) {
            throw new MalformedEntryException(stream, id, "header '" + name + "' is not a valid " + type.wireName()
                    + ": " + ex.getMessage(), ex);
        }
    }

    private Map<String, HeaderType> headerTypes(String stream, String id, byte[] json) {
        if (json == null) {
            return Map.of();
        }
        String key = new String(json, StandardCharsets.UTF_8);
        Map<String, HeaderType> cached = this.headerTypeMaps.get(key);
        if (cached != null) {
            return cached;
        }
        Map<String, HeaderType> parsed = new HashMap<>();
        try {
            Map<?, ?> names = this.jsonMapper.readValue(json, Map.class);
            for (Map.Entry<?, ?> entry : names.entrySet()) {
                parsed.put(String.valueOf(entry.getKey()), HeaderType.fromWireName(String.valueOf(entry.getValue())));
            }
        }
        catch (RuntimeException ex) {
            throw new MalformedEntryException(stream, id, "field '" + HEADER_TYPES_FIELD + "' is not a JSON object of "
                    + "header types: " + ex.getMessage(), ex);
        }
        if (this.headerTypeMaps.size() < CACHE_LIMIT) {
            this.headerTypeMaps.put(key, parsed);
        }
        return parsed;
    }

    private byte[] fieldName(String name) {
        byte[] cached = this.fieldNames.get(name);
        if (cached != null) {
            return cached;
        }
        byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
        if (this.fieldNames.size() < CACHE_LIMIT) {
            this.fieldNames.put(name, bytes);
        }
        return bytes;
    }

    private static StringBuilder appendType(StringBuilder types, String name, HeaderType type) {
        StringBuilder builder = types == null ? new StringBuilder("{") : types.append(',');
        builder.append('"');
        JsonStringEncoder.getInstance().quoteAsString(name, builder);
        return builder.append("\":\"").append(type.wireName()).append('"');
    }
}
