package io.flextime.streams.monitor;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One {@code XINFO} reply (a flat list of alternating names and values) as a map. Every getter returns
 * {@code null} for a field the server did not send: Redis 6.2 has no {@code lag} or {@code entries-read},
 * only 7.2 has {@code inactive}, and a nil {@code lag} means "unknown", never 0. Replies read with a binary
 * codec (the binder's) read the same: names and text values arrive as bytes and are decoded as UTF-8.
 */
public final class InfoReply {

    private final Map<String, Object> fields;

    private InfoReply(Map<String, Object> fields) {
        this.fields = fields;
    }

    public static InfoReply of(Object reply) {
        Map<String, Object> fields = new HashMap<>();
        if (reply instanceof List<?> flat) {
            for (int i = 0; i + 1 < flat.size(); i += 2) {
                Object value = flat.get(i + 1);
                fields.put(asText(flat.get(i)), value instanceof byte[] ? asText(value) : value);
            }
        }
        return new InfoReply(fields);
    }

    public String text(String name) {
        Object value = this.fields.get(name);
        return value == null ? null : String.valueOf(value);
    }

    public Long number(String name) {
        Object value = this.fields.get(name);
        if (value instanceof Number number) {
            return number.longValue();
        }
        if (value instanceof String text) {
            try {
                return Long.parseLong(text);
            }
            catch (NumberFormatException ex) {
                return null;
            }
        }
        return null;
    }

    /** {@link #number(String)}, or {@code fallback} when the server did not send the field. */
    public long number(String name, long fallback) {
        Long value = number(name);
        return value == null ? fallback : value;
    }

    /** The id of an entry field ({@code first-entry}/{@code last-entry}: {@code [id, [fields...]]}). */
    String entryId(String name) {
        Object value = this.fields.get(name);
        return value instanceof List<?> entry && !entry.isEmpty() ? asText(entry.get(0)) : null;
    }

    private static String asText(Object value) {
        return value instanceof byte[] bytes ? new String(bytes, StandardCharsets.UTF_8) : String.valueOf(value);
    }
}
