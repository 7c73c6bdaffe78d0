package io.flextime.streams.monitor;

/**
 * Names of the keys that belong to a stream: its dead-letter stream and its counters hash. In Redis Cluster
 * they must live in the stream's hash slot, so that commands touching both (a script, a {@code MULTI}) never
 * fail with {@code CROSSSLOT}, and so that a shard's failover moves a stream together with its bookkeeping.
 *
 * <p>A key's slot is computed from its hash tag, the text between the first <code>&#123;</code> and the next
 * <code>&#125;</code>, or from the whole key when it has none. A companion of stream {@code flextime:stream:orders-3} is
 * therefore {@code {flextime:stream:orders-3}.billing.dlq}: its tag is exactly the stream's key, so both hash
 * the same. A stream key that already carries a tag keeps it and the suffix is appended. A key with a
 * <code>&#125;</code> but no tag cannot be wrapped (its <code>&#125;</code> would end the tag early); its companions are the key
 * plus the suffix, fine on one server but in another slot on a cluster.
 *
 * <p>The same names are used on a single Redis, so moving to a cluster renames nothing.
 */
public final class SlotKeys {

    private SlotKeys() {
    }

    /** A key in the same hash slot as {@code stream}, ending in {@code suffix}. */
    public static String companion(String stream, String suffix) {
        return hasHashTag(stream) || stream.indexOf('}') >= 0 ? stream + suffix : "{" + stream + "}" + suffix;
    }

    /** Whether Redis Cluster hashes only part of the key: a <code>&#123;</code> followed later by a <code>&#125;</code> with text between. */
    public static boolean hasHashTag(String key) {
        int open = key.indexOf('{');
        return open >= 0 && key.indexOf('}', open + 1) > open + 1;
    }

    /**
     * The key under {@code prefix} as people read it: without the prefix, and for a companion key the brace
     * stays in front, <code>&#123;orders-3&#125;.billing.dlq</code>. A key not under the prefix is returned as it is.
     */
    public static String name(String prefix, String key) {
        if (key.startsWith(prefix)) {
            return key.substring(prefix.length());
        }
        if (key.startsWith("{" + prefix)) {
            return "{" + key.substring(prefix.length() + 1);
        }
        return key;
    }

    /** The key of a name made by {@link #name}; a name that already carries the prefix is returned as it is. */
    public static String key(String prefix, String name) {
        if (name.startsWith(prefix) || name.startsWith("{" + prefix)) {
            return name;
        }
        return name.startsWith("{") ? "{" + prefix + name.substring(1) : prefix + name;
    }

    /**
     * The {@code SCAN MATCH} pattern that finds every stream and companion under {@code prefix} in one walk of
     * the keyspace (a glob cannot make the hash tag's opening brace optional, and two patterns would walk it twice).
     * It also matches keys that merely contain the prefix: keep only those {@link #isUnder} accepts.
     */
    public static String scanPattern(String prefix) {
        return "*" + globEscape(prefix) + "*";
    }

    /** Whether {@code key} is a stream or companion under {@code prefix}, hash-tagged or not. */
    public static boolean isUnder(String prefix, String key) {
        return key.startsWith(prefix) || key.startsWith("{" + prefix);
    }

    private static String globEscape(String text) {
        StringBuilder escaped = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            if (c == '*' || c == '?' || c == '[' || c == ']' || c == '\\') {
                escaped.append('\\');
            }
            escaped.append(c);
        }
        return escaped.toString();
    }
}
