package io.flextime.streams.binder.connection;

import io.lettuce.core.RedisException;

/**
 * A write the master stored, but which the required replicas did not confirm: too few in time, a {@code WAIT}
 * that failed or was cut off by a dropped connection, or a send that stopped waiting. The entry is in the stream:
 * it is lost only if the master fails over before a replica has it, and sending it again stores it twice.
 */
public class ReplicasNotConfirmedException extends RedisException {

    private final String id;

    private final long confirmed;

    /**
     * @param why what went wrong after the master stored it: too few confirmations, a failed {@code WAIT}, a
     * dropped connection
     */
    public ReplicasNotConfirmedException(String id, long confirmed, ReplicaWait required, String why, Throwable cause) {
        super("Stored on the master as " + id + ", but not confirmed by " + required.replicas() + " replicas: " + why
                + ". It is lost if the master fails over before a replica has it, and sending it again stores it twice",
                cause);
        this.id = id;
        this.confirmed = confirmed;
    }

    /** The entry's id on the master. */
    public String id() {
        return this.id;
    }

    /** How many replicas confirmed it; 0 when that is unknown. */
    public long confirmed() {
        return this.confirmed;
    }
}
