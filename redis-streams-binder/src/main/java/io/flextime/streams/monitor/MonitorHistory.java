package io.flextime.streams.monitor;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The series the charts and the trend rules read, one bounded {@link TimeSeries} per metric and subject,
 * fed with every snapshot:
 * <ul>
 *   <li>per stream: {@code length}, {@code entriesAdded} (input rate), {@code memory};</li>
 *   <li>per group: {@code lag}, {@code entriesRead} (output rate), {@code pending}, {@code timeLag},
 *   {@code processed}, {@code failed}, {@code deadLettered}, {@code oldestPending} (the oldest pending entry's id as
 *   {@link StreamIds#ordinal}: entries of one millisecond must be told apart to see one entry stay in hand);</li>
 *   <li>per consumer: {@code idle}.</li>
 * </ul>
 * A series not fed for one history span ({@code capacity} passes) is dropped: anonymous groups and consumers
 * named after a host come and go with every restart or rollout, and would otherwise pile up for as long as the
 * monitor runs. A pass that failed is a gap in every series, never a line drawn across the outage.
 */
public class MonitorHistory {

    private volatile int capacity;

    private final Map<String, TimeSeries> series = new ConcurrentHashMap<>();

    /** The pass in which each series was last fed. */
    private final Map<String, Long> lastFedPass = new ConcurrentHashMap<>();

    /** When each series was first fed: unlike its oldest point, which a bounded history lets go, this stays. */
    private final Map<String, Long> firstFedAt = new ConcurrentHashMap<>();

    private long passes;

    private volatile long firstRecordedAt = Long.MAX_VALUE;

    public MonitorHistory(int capacity) {
        this.capacity = capacity;
    }

    public void record(MonitorSnapshot snapshot) {
        long at = snapshot.at().toEpochMilli();
        this.firstRecordedAt = Math.min(this.firstRecordedAt, at);
        for (StreamSnapshot stream : snapshot.streams()) {
            add(streamSeries(stream.key(), "length"), at, stream.length());
            add(streamSeries(stream.key(), "entriesAdded"), at, stream.entriesAdded());
            add(streamSeries(stream.key(), "memory"), at, stream.memoryBytes());
            for (GroupSnapshot group : stream.groups()) {
                add(groupSeries(stream.key(), group.name(), "lag"), at, group.lag());
                add(groupSeries(stream.key(), group.name(), "entriesRead"), at, group.entriesRead());
                add(groupSeries(stream.key(), group.name(), "pending"), at, group.pending());
                add(groupSeries(stream.key(), group.name(), "timeLag"), at, group.timeLagMs());
                add(groupSeries(stream.key(), group.name(), "oldestPending"), at, StreamIds.ordinal(group.oldestPendingId()));
                ProcessingCounts counts = group.counters();
                add(groupSeries(stream.key(), group.name(), "processed"), at, counts == null ? null : counts.processed());
                add(groupSeries(stream.key(), group.name(), "failed"), at, counts == null ? null : counts.failed());
                add(groupSeries(stream.key(), group.name(), "deadLettered"), at,
                        counts == null ? null : counts.deadLettered());
                for (ConsumerSnapshot consumer : group.consumers()) {
                    add(consumerSeries(stream.key(), group.name(), consumer.name(), "idle"), at, consumer.idleMs());
                }
            }
        }
        dropSeriesNotFedFor(this.capacity);
    }

    /** A pass that could not reach Redis: a gap at {@code atMillis} in every series. */
    public void recordGap(long atMillis) {
        this.series.values().forEach(series -> series.add(atMillis, null));
    }

    private void dropSeriesNotFedFor(int passesAgo) {
        long current = this.passes++;
        this.lastFedPass.entrySet().removeIf(fed -> {
            boolean stale = current - fed.getValue() >= passesAgo;
            if (stale) {
                this.series.remove(fed.getKey());
                this.firstFedAt.remove(fed.getKey());
            }
            return stale;
        });
    }

    /**
     * Changes how many points each series keeps, the newest kept: for a monitor whose interval changed, so the
     * same span of time still fits. Call it from the thread that records snapshots.
     */
    public void resize(int newCapacity) {
        this.capacity = newCapacity;
        this.series.values().forEach(series -> series.resize(newCapacity));
    }

    public int capacity() {
        return this.capacity;
    }

    /** When the first snapshot was recorded: a series that starts later belongs to something that appeared since. */
    public long firstRecordedAt() {
        return this.firstRecordedAt;
    }

    /**
     * When the series was first fed, or {@code null} if it was not; later than {@link #firstRecordedAt()} for the
     * series of something that appeared after monitoring began.
     */
    public Long firstFedAt(String id) {
        return this.firstFedAt.get(id);
    }

    /** The series, empty if nothing was recorded for it (reading one never creates it). */
    public TimeSeries series(String id) {
        TimeSeries recorded = this.series.get(id);
        return recorded != null ? recorded : new TimeSeries(1);
    }

    public static String streamSeries(String stream, String metric) {
        return stream + "|" + metric;
    }

    public static String groupSeries(String stream, String group, String metric) {
        return stream + "|" + group + "|" + metric;
    }

    public static String consumerSeries(String stream, String group, String consumer, String metric) {
        return stream + "|" + group + "|" + consumer + "|" + metric;
    }

    /** Events per second into a stream over the window, from {@code entries-added}; {@code null} if unknown. */
    public Double inputRate(String stream, long sinceMillis) {
        return series(streamSeries(stream, "entriesAdded")).ratePerSecond(sinceMillis);
    }

    /** Events per second a group consumed over the window, from {@code entries-read}; {@code null} if unknown. */
    public Double outputRate(String stream, String group, long sinceMillis) {
        return series(groupSeries(stream, group, "entriesRead")).ratePerSecond(sinceMillis);
    }

    private void add(String id, long at, Long value) {
        this.series.computeIfAbsent(id, ignored -> new TimeSeries(this.capacity)).add(at, value);
        this.firstFedAt.putIfAbsent(id, at);
        this.lastFedPass.put(id, this.passes);
    }
}
