package io.flextime.streams.monitor;

import java.util.ArrayList;
import java.util.List;

/**
 * A bounded ring buffer of (time, value) points. A {@code null} value is a known gap (e.g. lag unknown),
 * which charts draw as a gap and rates skip, never as 0.
 */
public final class TimeSeries {

    private long[] times;

    private Long[] values;

    private int next;

    private int size;

    public TimeSeries(int capacity) {
        this.times = new long[capacity];
        this.values = new Long[capacity];
    }

    public synchronized void add(long timeMillis, Long value) {
        this.times[this.next] = timeMillis;
        this.values[this.next] = value;
        this.next = (this.next + 1) % this.times.length;
        this.size = Math.min(this.size + 1, this.times.length);
    }

    /** Keeps the newest {@code capacity} points (all of them if they fit) in a buffer of that size. */
    public synchronized void resize(int capacity) {
        int kept = Math.min(this.size, capacity);
        long[] newTimes = new long[capacity];
        Long[] newValues = new Long[capacity];
        for (int i = 0; i < kept; i++) {
            int index = (this.next - kept + i + this.times.length) % this.times.length;
            newTimes[i] = this.times[index];
            newValues[i] = this.values[index];
        }
        this.times = newTimes;
        this.values = newValues;
        this.size = kept;
        this.next = kept % capacity;
    }

    /** The points at or after {@code sinceMillis}, oldest first. */
    public synchronized List<Point> since(long sinceMillis) {
        List<Point> points = new ArrayList<>(this.size);
        for (int i = 0; i < this.size; i++) {
            int index = (this.next - this.size + i + this.times.length) % this.times.length;
            if (this.times[index] >= sinceMillis) {
                points.add(new Point(this.times[index], this.values[index]));
            }
        }
        return points;
    }

    public synchronized Point latest() {
        if (this.size == 0) {
            return null;
        }
        int index = (this.next - 1 + this.times.length) % this.times.length;
        return new Point(this.times[index], this.values[index]);
    }

    /**
     * How much a growing counter rose over the points since {@code sinceMillis}: the sum of its rises from one known
     * point to the next. A fall (a stream deleted and recreated, a group reset to the start, Redis restarted
     * without its data, dead letters replayed away with XDEL) starts the count again instead of cancelling what
     * came before or after it. {@code null}
     * with fewer than two known points.
     */
    public Long increaseSince(long sinceMillis) {
        List<Point> known = known(sinceMillis);
        if (known.size() < 2) {
            return null;
        }
        long increase = 0;
        for (int i = 1; i < known.size(); i++) {
            increase += Math.max(0, known.get(i).value() - known.get(i - 1).value());
        }
        return increase;
    }

    /** {@link #increaseSince} per second, over the time from the first known point to the last. */
    public Double ratePerSecond(long sinceMillis) {
        List<Point> known = known(sinceMillis);
        Long increase = increaseSince(sinceMillis);
        if (increase == null) {
            return null;
        }
        long elapsed = known.get(known.size() - 1).timeMillis() - known.get(0).timeMillis();
        return elapsed <= 0 ? null : increase * 1000.0 / elapsed;
    }

    private List<Point> known(long sinceMillis) {
        return since(sinceMillis).stream().filter(point -> point.value() != null).toList();
    }

    /** One point; {@code value} may be {@code null} (unknown). */
    public record Point(long timeMillis, Long value) {
    }
}
