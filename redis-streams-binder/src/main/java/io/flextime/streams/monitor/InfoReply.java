package io.flextime.streams.monitor;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One {@code XINFO} reply (a flat list of alternating names and values) as a map. Every getter returns
 * {@code null} for a field the server did not send: Redis 6.2 has no {@code lag} or {@code entries-read},
 * only 7.2 has {@code inactive}, and a nil {@code lag} means "unknown", never 0.
 */
final class InfoReply {

    private final Map<String, Object> fields;

    private InfoReply(Map<String, Object> fields) {
        this.fields = fields;
    }

    static InfoReply of(Object reply) {
        Map<String, Object> fields = new HashMap<>();
        if (reply instanceof List<?> flat) {
            for (int i = 0; i + 1 < flat.size(); i += 2) {
                fields.put(String.valueOf(flat.get(i)), flat.get(i + 1));
            }
        }
        return new InfoReply(fields);
    }

    String text(String name) {
        Object value = this.fields.get(name);
        return value == null ? null : String.valueOf(value);
    }

    Long number(String name) {
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

    /** The id of an entry field ({@code first-entry}/{@code last-entry}: {@code [id, [fields...]]}). */
    String entryId(String name) {
        Object value = this.fields.get(name);
        return value instanceof List<?> entry && !entry.isEmpty() ? String.valueOf(entry.get(0)) : null;
    }
}
