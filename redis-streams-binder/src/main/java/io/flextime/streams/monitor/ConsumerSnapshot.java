package io.flextime.streams.monitor;

/**
 * One consumer of a group.
 *
 * @param name the consumer name
 * @param pending entries delivered to it and not acknowledged
 * @param idleMs since its last attempted interaction
 * @param inactiveMs since its last successful interaction; {@code null} before Redis 7.2
 */
public record ConsumerSnapshot(String name, long pending, long idleMs, Long inactiveMs) {
}
