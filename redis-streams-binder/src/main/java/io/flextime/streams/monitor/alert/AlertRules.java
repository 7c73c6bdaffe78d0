package io.flextime.streams.monitor.alert;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;

import io.flextime.streams.monitor.ConsumerSnapshot;
import io.flextime.streams.monitor.GroupSnapshot;
import io.flextime.streams.monitor.MonitorHistory;
import io.flextime.streams.monitor.MonitorSnapshot;
import io.flextime.streams.monitor.StreamIds;
import io.flextime.streams.monitor.StreamSnapshot;
import io.flextime.streams.monitor.TimeSeries;

/**
 * The alert rules: the brief's four (consumer lag, stream growth, error rate, idle consumers), stuck work and
 * dead-letter growth, and lag trends judged as Burrow judges them. A group whose lag Redis reports as unknown
 * raises no lag alert, and an idle stream with zero lag raises none at all.
 */
public final class AlertRules {

    private AlertRules() {
    }

    public static List<AlertRule> all() {
        return List.of(consumerLag(), streamGrowth(), errorRate(), idleConsumers(), stuckPending(), deadLetterGrowth(),
                fallingBehind(), stalled(), stopped());
    }

    /** Lag above {@code lagThreshold}. */
    public static AlertRule consumerLag() {
        return groupRule("consumer-lag", Severity.WARNING, (context, out) -> {
            Long lag = context.group().lag();
            if (lag != null && lag > context.thresholds().lagThreshold()) {
                out.add(context.breach(lag, context.thresholds().lagThreshold(),
                        "Group '" + context.group().name() + "' is " + lag + " entries behind on " + context.stream().key()));
            }
        });
    }

    /**
     * Entries arriving faster than the slowest group takes them, or a group whose unread entries come close to the
     * stream's {@code MAXLEN} (the producers' {@code max-length}), beyond which they are trimmed away unread.
     */
    public static AlertRule streamGrowth() {
        return rule("stream-growth", Severity.WARNING, (snapshot, history, thresholds, now) -> {
            List<Breach> breaches = new ArrayList<>();
            long since = now - thresholds.window().toMillis();
            for (StreamSnapshot stream : workStreams(snapshot)) {
                Double in = history.inputRate(stream.key(), since);
                // A group that never read anything (last delivered 0-0, entries-read nil) reads at zero; any other
                // group whose read rate is unknown (Redis lost count, or too little history) is not taken for one
                // that reads nothing: unknown is never zero. Then the stream is not judged.
                List<Double> outs = stream.groups().stream().map(group -> {
                    Double rate = history.outputRate(stream.key(), group.name(), since);
                    return rate == null && "0-0".equals(group.lastDeliveredId()) ? Double.valueOf(0.0) : rate;
                }).toList();
                // No groups (read with plain XREAD, or not bound yet): nobody whose pace could be judged.
                Double slowestOut = outs.isEmpty() || outs.contains(null) ? null
                        : outs.stream().mapToDouble(Double::doubleValue).min().getAsDouble();
                if (in != null && slowestOut != null && in - slowestOut > thresholds.growthPerSecond()) {
                    breaches.add(new Breach(stream.key(), null, null, in - slowestOut, thresholds.growthPerSecond(),
                            String.format("%s grows by %.1f entries/s more than its slowest group reads", stream.key(), in - slowestOut)));
                }
                Long max = thresholds.maxStreamLength();
                if (max == null) {
                    continue;
                }
                // What a group has not read yet, not the stream's length: a stream kept at its MAXLEN whose groups
                // keep up loses nothing, while a group that far behind is about to lose entries to the trimming.
                for (GroupSnapshot group : stream.groups()) {
                    if (group.lag() != null && group.lag() >= max * thresholds.headroom()) {
                        breaches.add(new Breach(stream.key(), group.name(), "headroom", group.lag(),
                                max * thresholds.headroom(), "Group '" + group.name() + "' has " + group.lag()
                                        + " unread entries in " + stream.key() + ", which keeps at most " + max
                                        + ": entries it has not read will be trimmed away"));
                    }
                }
            }
            return breaches;
        });
    }

    /** Failed / (processed + failed) over the window, from the binder's counters, above {@code errorRateThreshold}. */
    public static AlertRule errorRate() {
        return groupRule("error-rate", Severity.CRITICAL, (context, out) -> {
            long since = context.now() - context.thresholds().window().toMillis();
            Long failed = context.history().series(groupSeries(context, "failed")).increaseSince(since);
            Long processed = context.history().series(groupSeries(context, "processed")).increaseSince(since);
            if (failed == null || processed == null || failed + processed < context.thresholds().minEventsForErrorRate()) {
                return;
            }
            double rate = (double) failed / (failed + processed);
            if (rate > context.thresholds().errorRateThreshold()) {
                out.add(context.breach(rate, context.thresholds().errorRateThreshold(), String.format(
                        "Group '%s' on %s failed %.1f%% of %d deliveries", context.group().name(), context.stream().key(),
                        rate * 100, failed + processed)));
            }
        });
    }

    /** A consumer idle beyond {@code consumerIdleThreshold} while its group has work waiting. */
    public static AlertRule idleConsumers() {
        return rule("idle-consumer", Severity.WARNING, (snapshot, history, thresholds, now) -> {
            List<Breach> breaches = new ArrayList<>();
            for (StreamSnapshot stream : workStreams(snapshot)) {
                for (GroupSnapshot group : stream.groups()) {
                    boolean hasWork = (group.lag() != null && group.lag() > 0) || group.pending() > 0;
                    for (ConsumerSnapshot consumer : group.consumers()) {
                        if (hasWork && consumer.idleMs() > thresholds.consumerIdleThreshold().toMillis()) {
                            breaches.add(new Breach(stream.key(), group.name(), consumer.name(), consumer.idleMs(),
                                    thresholds.consumerIdleThreshold().toMillis(), "Consumer '" + consumer.name() + "' of '"
                                            + group.name() + "' idle for " + consumer.idleMs() / 1000 + " s while work waits"));
                        }
                    }
                }
            }
            return breaches;
        });
    }

    /**
     * The oldest pending entry waited longer than the claim time: nobody is finishing or taking it over. Or it has
     * stayed the oldest pending entry that long while its idle time stays short: the binder refreshes the
     * ownership of entries in hand, so a handler that never returns keeps its entry's idle time low.
     */
    public static AlertRule stuckPending() {
        return groupRule("stuck-pending", Severity.WARNING, (context, out) -> {
            long threshold = context.thresholds().stuckPending().toMillis();
            Long idle = context.group().oldestPendingIdleMs();
            if (idle != null && idle > threshold) {
                out.add(context.breach(idle, threshold, "Oldest pending entry of '"
                        + context.group().name() + "' on " + context.stream().key() + " has been idle for " + idle / 1000 + " s"));
                return;
            }
            Long inHand = oldestPendingHeldFor(context);
            if (inHand != null && inHand > threshold) {
                out.add(context.breach(inHand, threshold, "Entry " + context.group().oldestPendingId() + " of '"
                        + context.group().name() + "' on " + context.stream().key() + " has been pending for "
                        + inHand / 1000 + " s while its consumer keeps it: a handler that does not return?"));
            }
        });
    }

    /**
     * How long the monitor has seen the same oldest pending entry, looking back the threshold and two intervals
     * (passes come an interval plus a pass's own time apart, so one interval may hold no pass).
     */
    private static Long oldestPendingHeldFor(GroupContext context) {
        Long current = StreamIds.ordinal(context.group().oldestPendingId());
        if (current == null) {
            return null;
        }
        long lookBack = context.thresholds().stuckPending().plus(context.thresholds().monitoringInterval().multipliedBy(2))
                .toMillis();
        List<TimeSeries.Point> points = context.history().series(groupSeries(context, "oldestPending"))
                .since(context.now() - lookBack);
        long since = context.now();
        for (int i = points.size() - 1; i >= 0 && current.equals(points.get(i).value()); i--) {
            since = points.get(i).timeMillis();
        }
        return context.now() - since;
    }

    /** A dead-letter stream that grew within the window; one that appeared within it grew from nothing. */
    public static AlertRule deadLetterGrowth() {
        return rule("dead-letter-growth", Severity.WARNING, (snapshot, history, thresholds, now) -> {
            List<Breach> breaches = new ArrayList<>();
            for (StreamSnapshot stream : snapshot.streams()) {
                if (!stream.deadLetter()) {
                    continue;
                }
                String lengthSeries = MonitorHistory.streamSeries(stream.key(), "length");
                TimeSeries lengths = history.series(lengthSeries);
                long windowStart = now - thresholds.window().toMillis();
                // When its series began, not its oldest point: a history shrunk for a longer interval keeps fewer
                // points than the window spans, and an old stream's oldest point would look like an arrival.
                Long firstSeen = history.firstFedAt(lengthSeries);
                boolean appearedInWindow = firstSeen != null && firstSeen >= windowStart
                        && firstSeen > history.firstRecordedAt();
                Long grown = appearedInWindow ? Long.valueOf(stream.length()) : lengths.increaseSince(windowStart);
                if (grown != null && grown > 0) {
                    breaches.add(new Breach(stream.key(), null, null, grown, 0,
                            grown + " new dead letters in " + stream.key()));
                }
            }
            return breaches;
        });
    }

    /** Burrow's "falling behind": across the window lag never decreases, and it grew. */
    public static AlertRule fallingBehind() {
        return groupRule("lag-falling-behind", Severity.WARNING, (context, out) -> {
            List<Long> lags = windowValues(context, "lag");
            if (lags == null || lags.get(lags.size() - 1) == 0) {
                return;
            }
            for (int i = 1; i < lags.size(); i++) {
                if (lags.get(i) < lags.get(i - 1)) {
                    return;
                }
            }
            long first = lags.get(0);
            long last = lags.get(lags.size() - 1);
            if (last > first) {
                out.add(context.breach(last, first, "Group '" + context.group().name() + "' on " + context.stream().key()
                        + " keeps falling behind: lag " + first + " -> " + last + " without ever shrinking"));
            }
        });
    }

    /**
     * Burrow's "stalled": lag above zero all through the window, and nothing consumed: no entry read, and none
     * handled either where the binder counts them. {@code entries-read} alone moves only when a batch is read, and
     * a slow handler can spend the whole window on one batch.
     */
    public static AlertRule stalled() {
        return groupRule("lag-stalled", Severity.CRITICAL, (context, out) -> {
            List<Long> lags = windowValues(context, "lag");
            List<Long> read = windowValues(context, "entriesRead");
            if (lags == null || read == null || context.group().consumers().isEmpty()
                    || lags.stream().anyMatch(lag -> lag == 0) || handledInWindow(context)) {
                return;
            }
            if (read.get(read.size() - 1).equals(read.get(0))) {
                out.add(context.breach(lags.get(lags.size() - 1), 0, "Group '" + context.group().name() + "' on "
                        + context.stream().key() + " has stalled: " + lags.get(lags.size() - 1) + " waiting, none consumed"));
            }
        });
    }

    /** Burrow's "stopped": no consumer activity for longer than the window while work waits, unless lag was zero recently. */
    public static AlertRule stopped() {
        return groupRule("consumer-stopped", Severity.CRITICAL, (context, out) -> {
            GroupSnapshot group = context.group();
            boolean hasWork = (group.lag() != null && group.lag() > 0) || group.pending() > 0;
            List<Long> lags = windowValues(context, "lag");
            if (!hasWork || (lags != null && lags.stream().anyMatch(lag -> lag == 0))) {
                return;
            }
            long leastIdle = group.consumers().stream().mapToLong(ConsumerSnapshot::idleMs).min().orElse(Long.MAX_VALUE);
            long window = context.thresholds().window().toMillis();
            if (leastIdle > window) {
                out.add(context.breach(leastIdle == Long.MAX_VALUE ? -1 : leastIdle, window, "No consumer of '"
                        + group.name() + "' on " + context.stream().key() + " has been active for longer than "
                        + window / 1000 + " s while work waits"));
            }
        });
    }

    /**
     * The known values of a group series within the window, or {@code null} if fewer than three, or if the series
     * does not cover the window: a trend is judged over the whole window, not over the first minute after a start or
     * after a new group appeared. It covers the window when a known value was taken at or before its start, or the
     * first one within it came no later than one interval after its start. Passes follow each other at the interval
     * plus the time a pass takes, so the first value within the window alone may well come later than that.
     */
    private static List<TimeSeries.Point> windowPoints(GroupContext context, String metric) {
        long window = context.thresholds().window().toMillis();
        long windowStart = context.now() - window;
        List<TimeSeries.Point> known = context.history().series(groupSeries(context, metric)).since(windowStart - window)
                .stream().filter(point -> point.value() != null).toList();
        List<TimeSeries.Point> points = known.stream().filter(point -> point.timeMillis() >= windowStart).toList();
        boolean coversWindow = known.stream().anyMatch(point -> point.timeMillis() <= windowStart) || (!points.isEmpty()
                && points.get(0).timeMillis() <= windowStart + context.thresholds().monitoringInterval().toMillis());
        return points.size() < 3 || !coversWindow ? null : points;
    }

    /** Whether the binder's counters say the group handled (or failed) entries within the window. */
    private static boolean handledInWindow(GroupContext context) {
        long windowStart = context.now() - context.thresholds().window().toMillis();
        for (String metric : List.of("processed", "failed")) {
            Long handled = context.history().series(groupSeries(context, metric)).increaseSince(windowStart);
            if (handled != null && handled > 0) {
                return true;
            }
        }
        return false;
    }

    private static List<Long> windowValues(GroupContext context, String metric) {
        List<TimeSeries.Point> points = windowPoints(context, metric);
        return points == null ? null : points.stream().map(TimeSeries.Point::value).toList();
    }

    private static String groupSeries(GroupContext context, String metric) {
        return MonitorHistory.groupSeries(context.stream().key(), context.group().name(), metric);
    }

    private static List<StreamSnapshot> workStreams(MonitorSnapshot snapshot) {
        return snapshot.streams().stream().filter(stream -> !stream.deadLetter()).toList();
    }

    private static AlertRule rule(String name, Severity severity, Evaluation evaluation) {
        return new AlertRule() {

            @Override
            public String name() {
                return name;
            }

            @Override
            public Severity severity() {
                return severity;
            }

            @Override
            public List<Breach> evaluate(MonitorSnapshot snapshot, MonitorHistory history, AlertThresholds thresholds,
                    long nowMillis) {
                return evaluation.evaluate(snapshot, history, thresholds, nowMillis);
            }
        };
    }

    private static AlertRule groupRule(String name, Severity severity, BiConsumer<GroupContext, List<Breach>> check) {
        return rule(name, severity, (snapshot, history, thresholds, now) -> {
            List<Breach> breaches = new ArrayList<>();
            for (StreamSnapshot stream : workStreams(snapshot)) {
                for (GroupSnapshot group : stream.groups()) {
                    check.accept(new GroupContext(stream, group, history, thresholds, now), breaches);
                }
            }
            return breaches;
        });
    }

    @FunctionalInterface
    private interface Evaluation {

        List<Breach> evaluate(MonitorSnapshot snapshot, MonitorHistory history, AlertThresholds thresholds, long now);
    }

    private record GroupContext(StreamSnapshot stream, GroupSnapshot group, MonitorHistory history,
            AlertThresholds thresholds, long now) {

        Breach breach(double value, double threshold, String message) {
            return new Breach(this.stream.key(), this.group.name(), null, value, threshold, message);
        }
    }
}
