package io.flextime.events.api;

import java.util.regex.Pattern;

import io.flextime.streams.monitor.SlotKeys;

/**
 * Turns the stream and group names of URLs into Redis keys, refusing anything that could reach a key that
 * is not one of the event streams: only letters, digits and {@code . _ : -}, no {@code ..}, at most 200
 * characters, and always under the configured prefix. Glob characters, whitespace, control characters and
 * non-ASCII letters are refused outright.
 */
public class StreamNames {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,199}");

    /** A stream name, or a dead-letter stream's {@code {stream}.group.dlq} (see {@link SlotKeys}). */
    private static final Pattern STREAM_NAME = Pattern.compile("\\{?[A-Za-z0-9][A-Za-z0-9._:-]{0,199}(\\}[A-Za-z0-9._:-]{1,200})?");

    /** An entry id or a millisecond time, which an exclusive bound prefixes with {@code (}. */
    private static final Pattern ENTRY_ID = Pattern.compile("[0-9]{1,19}(-[0-9]{1,19})?");

    private final String prefix;

    public StreamNames(String prefix) {
        this.prefix = prefix;
    }

    public String prefix() {
        return this.prefix;
    }

    /** The key of a stream named with or without the prefix. */
    public String key(String name) {
        requireName("stream", STREAM_NAME, name);
        return SlotKeys.key(this.prefix, name);
    }

    public String group(String name) {
        requireName("group", NAME, name);
        return name;
    }

    /** The name shown in the API: the key without the prefix. */
    public String name(String key) {
        return SlotKeys.name(this.prefix, key);
    }

    /** A range bound: a stream entry id, {@code -}, {@code +}, or an exclusive {@code (id}. */
    public static String id(String parameter, String value) {
        if (value == null || !(value.equals("-") || value.equals("+")
                || ENTRY_ID.matcher(value.startsWith("(") ? value.substring(1) : value).matches())) {
            throw ApiProblem.badRequest("'" + parameter + "' must be a stream id such as 1700000000000-0, "
                    + "a millisecond time, '-' or '+', or '(' and an id for an exclusive bound");
        }
        return value;
    }

    /** One entry id (or millisecond time) itself: no range bounds, nothing exclusive. */
    public static String entryId(String parameter, String value) {
        if (value == null || !ENTRY_ID.matcher(value).matches()) {
            throw ApiProblem.badRequest("'" + parameter + "' must be a stream id such as 1700000000000-0 or a "
                    + "millisecond time");
        }
        return value;
    }

    private static void requireName(String what, Pattern pattern, String name) {
        if (name == null || !pattern.matcher(name).matches() || name.contains("..")) {
            throw ApiProblem.badRequest("Invalid " + what + " name: use 1 to 200 letters, digits, '.', '_', ':' or '-', "
                    + "starting with a letter or digit, without '..'"
                    + (pattern == STREAM_NAME ? " (a dead-letter stream is named '{stream}.group.dlq')" : ""));
        }
    }
}
