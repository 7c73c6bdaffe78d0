package io.flextime.events.api;

import java.util.List;

import io.flextime.streams.monitor.ConsumerSnapshot;
import io.flextime.streams.monitor.GroupSnapshot;
import io.flextime.streams.monitor.StreamSnapshot;

/** What the API shows of the monitoring core's snapshots. An unknown lag is the string "unknown", never 0. */
final class StreamViews {

    static final String UNKNOWN = "unknown";

    private StreamViews() {
    }

    record StreamView(String name, String key, boolean deadLetter, long length, String firstId, String lastId,
            Object entriesAdded, Object memoryBytes, List<GroupView> groups) {
    }

    record GroupView(String stream, String name, Object lag, Object entriesRead, long pending, String lastDeliveredId,
            Object oldestPendingIdleMs, long maxDeliveryCount, Object timeLagMs, List<ConsumerSnapshot> consumers) {
    }

    static StreamView of(StreamSnapshot stream) {
        return new StreamView(stream.name(), stream.key(), stream.deadLetter(), stream.length(), stream.firstId(),
                stream.lastId(), orUnknown(stream.entriesAdded()), orUnknown(stream.memoryBytes()),
                stream.groups().stream().map(group -> of(stream, group)).toList());
    }

    static GroupView of(StreamSnapshot stream, GroupSnapshot group) {
        return new GroupView(stream.name(), group.name(), orUnknown(group.lag()), orUnknown(group.entriesRead()),
                group.pending(), group.lastDeliveredId(), group.oldestPendingIdleMs(), group.maxDeliveryCount(),
                orUnknown(group.timeLagMs()), group.consumers());
    }

    private static Object orUnknown(Long value) {
        return value == null ? UNKNOWN : value;
    }
}
