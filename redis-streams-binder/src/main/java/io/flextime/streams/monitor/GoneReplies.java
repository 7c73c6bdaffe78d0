package io.flextime.streams.monitor;

/**
 * Redis' error replies that say what a command names is not there (any more), as opposed to an outage or a refusal:
 * the group ({@code NOGROUP}), or the stream key itself, which {@code XINFO} reports as {@code ERR no such key} and
 * {@code XGROUP} as "requires the key to exist". One place knows Redis' wording.
 */
public final class GoneReplies {

    private GoneReplies() {
    }

    /** Whether {@code error} (an error reply's text, or {@code null}) says the group or the stream is gone. */
    public static boolean isGone(String error) {
        return error != null && (error.startsWith("NOGROUP") || isNoSuchKey(error)
                || error.contains("requires the key to exist"));
    }

    /** Whether {@code error} says the key is gone (the group may never have been asked about). */
    public static boolean isNoSuchKey(String error) {
        return error != null && error.startsWith("ERR no such key");
    }
}
