package io.flextime.streams.binder.connection;

import java.time.Duration;

/**
 * What a producer's send waits for beyond the master's reply: {@code WAIT replicas timeout}, sent after each
 * batch of writes (see {@link BatchedWrites}), must report at least {@code replicas} replicas holding them.
 */
public record ReplicaWait(int replicas, Duration timeout) {
}
