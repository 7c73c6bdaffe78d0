package io.flextime.streams.monitor;

import java.util.List;

/**
 * One consumer group of a stream.
 *
 * @param name the group name
 * @param lag entries not yet delivered to the group; {@code null} when Redis cannot tell (before 7.0, or after
 * trims and arbitrary start ids): show it as unknown, never as 0
 * @param entriesRead entries delivered to the group so far (7.0+), {@code null} when unknown
 * @param pending delivered and not acknowledged
 * @param lastDeliveredId the group's position
 * @param oldestPendingIdleMs how long the oldest pending entry has waited since its last delivery; {@code null} when none
 * @param maxDeliveryCount the highest delivery count among the oldest pending entries sampled; 0 when none
 * @param timeLagMs age of the oldest entry not yet delivered (from its id); 0 when caught up, {@code null} when unknown
 * @param consumers the group's consumers
 * @param counters what the binder counted for this group (processed, failed, dead-lettered); zeros when none,
 *        {@code null} when they could not be read this pass
 * @param oldestPendingId the id of the oldest pending entry; {@code null} when none
 */
public record GroupSnapshot(String name, Long lag, Long entriesRead, long pending, String lastDeliveredId,
        Long oldestPendingIdleMs, long maxDeliveryCount, Long timeLagMs, List<ConsumerSnapshot> consumers,
        ProcessingCounts counters, String oldestPendingId) {
}
