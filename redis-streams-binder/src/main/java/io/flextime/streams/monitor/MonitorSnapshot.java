package io.flextime.streams.monitor;

import java.time.Instant;
import java.util.List;

/**
 * Everything one monitoring pass saw.
 *
 * @param at when it was taken
 * @param streams every stream under the prefix, dead-letter streams included
 * @param roundTrips how many times the pass waited for Redis (SCAN pages plus two pipelined phases)
 */
public record MonitorSnapshot(Instant at, List<StreamSnapshot> streams, int roundTrips) {

    public long totalLength() {
        return this.streams.stream().filter(stream -> !stream.deadLetter()).mapToLong(StreamSnapshot::length).sum();
    }

    /** Sum of the known lags; unknown lags are left out, not counted as 0 (see {@link #unknownLagGroups()}). */
    public long totalLag() {
        return groups().filter(group -> group.lag() != null).mapToLong(GroupSnapshot::lag).sum();
    }

    public long unknownLagGroups() {
        return groups().filter(group -> group.lag() == null).count();
    }

    public long totalPending() {
        return groups().mapToLong(GroupSnapshot::pending).sum();
    }

    private java.util.stream.Stream<GroupSnapshot> groups() {
        return this.streams.stream().filter(stream -> !stream.deadLetter()).flatMap(stream -> stream.groups().stream());
    }
}
