package io.flextime.streams.monitor;

/** Stream entry ids, {@code <milliseconds>-<sequence>}: their time part, and their order. */
public final class StreamIds {

    private static final int SEQUENCE_BITS = 20;

    private StreamIds() {
    }

    /**
     * An entry id as one number that orders ids and tells them apart: the millisecond shifted left by 20 bits, plus
     * the sequence (sequences past about a million within one millisecond fold into one value). {@code null} for
     * no id or one that is not {@code <ms>-<seq>}.
     */
    public static Long ordinal(String id) {
        Long millis = millis(id);
        if (millis == null) {
            return null;
        }
        int dash = id.indexOf('-');
        long sequence;
        try {
            sequence = dash < 0 ? 0 : Long.parseLong(id.substring(dash + 1));
        }
        catch (NumberFormatException ex) {
            return null;
        }
        return (millis << SEQUENCE_BITS) | Math.min(sequence, (1L << SEQUENCE_BITS) - 1);
    }

    /** The millisecond timestamp of an id, or {@code null} for a missing or malformed one. */
    public static Long millis(String id) {
        if (id == null || id.isEmpty()) {
            return null;
        }
        int dash = id.indexOf('-');
        try {
            return Long.parseLong(dash < 0 ? id : id.substring(0, dash));
        }
        catch (NumberFormatException ex) {
            return null;
        }
    }

    /** Orders ids as Redis does. */
    public static int compare(String left, String right) {
        long[] a = parts(left);
        long[] b = parts(right);
        int byMillis = Long.compare(a[0], b[0]);
        return byMillis != 0 ? byMillis : Long.compare(a[1], b[1]);
    }

    private static long[] parts(String id) {
        int dash = id.indexOf('-');
        return dash < 0 ? new long[] { Long.parseLong(id), 0 }
                : new long[] { Long.parseLong(id.substring(0, dash)), Long.parseLong(id.substring(dash + 1)) };
    }
}
