package io.flextime.streams.binder.support;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;

import org.springframework.util.MimeType;

/**
 * How one header value is written as a stream field and read back. Strings need no marker; every other
 * type is named in the entry's {@code scst_headerTypes} field so the value comes back with its type.
 */
enum HeaderType {

    STRING("string", text -> text),
    INT("int", Integer::valueOf),
    LONG("long", Long::valueOf),
    SHORT("short", Short::valueOf),
    BYTE("byte", Byte::valueOf),
    DOUBLE("double", Double::valueOf),
    FLOAT("float", Float::valueOf),
    BOOLEAN("boolean", HeaderType::parseBoolean),
    CHAR("char", HeaderType::parseChar),
    UUID_TYPE("uuid", UUID::fromString),
    MIME_TYPE("mime", MimeType::valueOf),
    /** Raw bytes, stored unchanged. */
    BYTES("bytes", null),
    /** Anything else, as JSON; it comes back as maps, lists, strings, numbers and booleans. */
    JSON("json", null);

    private static final Map<String, HeaderType> BY_NAME = Map.ofEntries(
            Map.entry(STRING.wireName, STRING), Map.entry(INT.wireName, INT), Map.entry(LONG.wireName, LONG),
            Map.entry(SHORT.wireName, SHORT), Map.entry(BYTE.wireName, BYTE), Map.entry(DOUBLE.wireName, DOUBLE),
            Map.entry(FLOAT.wireName, FLOAT), Map.entry(BOOLEAN.wireName, BOOLEAN), Map.entry(CHAR.wireName, CHAR),
            Map.entry(UUID_TYPE.wireName, UUID_TYPE), Map.entry(MIME_TYPE.wireName, MIME_TYPE),
            Map.entry(BYTES.wireName, BYTES), Map.entry(JSON.wireName, JSON));

    private final String wireName;

    private final Function<String, Object> parser;

    HeaderType(String wireName, Function<String, Object> parser) {
        this.wireName = wireName;
        this.parser = parser;
    }

    String wireName() {
        return this.wireName;
    }

    static HeaderType fromWireName(String name) {
        HeaderType type = BY_NAME.get(name);
        if (type == null) {
            throw new IllegalArgumentException("unknown header type '" + name + "'");
        }
        return type;
    }

    /** The type a value is written as; {@code null} for values that must not be written (see the codec). */
    static HeaderType of(Object value) {
        if (value instanceof String) {
            return STRING;
        }
        if (value instanceof Integer) {
            return INT;
        }
        if (value instanceof Long) {
            return LONG;
        }
        if (value instanceof Boolean) {
            return BOOLEAN;
        }
        if (value instanceof MimeType) {
            return MIME_TYPE;
        }
        if (value instanceof UUID) {
            return UUID_TYPE;
        }
        if (value instanceof Double) {
            return DOUBLE;
        }
        if (value instanceof Float) {
            return FLOAT;
        }
        if (value instanceof Short) {
            return SHORT;
        }
        if (value instanceof Byte) {
            return BYTE;
        }
        if (value instanceof Character) {
            return CHAR;
        }
        if (value instanceof byte[]) {
            return BYTES;
        }
        return JSON;
    }

    /** Parses a scalar written with {@code toString()}. Not for {@link #BYTES} or {@link #JSON}. */
    Object parse(byte[] raw) {
        return this.parser.apply(new String(raw, StandardCharsets.UTF_8));
    }

    private static Object parseBoolean(String text) {
        if ("true".equals(text)) {
            return Boolean.TRUE;
        }
        if ("false".equals(text)) {
            return Boolean.FALSE;
        }
        throw new IllegalArgumentException("not a boolean: '" + text + "'");
    }

    private static Object parseChar(String text) {
        if (text.length() != 1) {
            throw new IllegalArgumentException("not a single character: '" + text + "'");
        }
        return text.charAt(0);
    }
}
