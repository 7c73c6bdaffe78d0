package io.flextime.streams.monitor;

/** Stream entry ids, {@code <milliseconds>-<sequence>}: their time part, and their order. */
public final class StreamIds {

    private StreamIds() {
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
