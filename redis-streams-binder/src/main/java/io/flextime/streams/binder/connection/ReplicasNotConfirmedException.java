package io.flextime.streams.binder.connection;

import io.lettuce.core.RedisException;

/**
 * A write the master stored, but fewer replicas than required confirmed within the wait. The entry is in the
 * stream: it is lost only if the master fails over before a replica has it, and sending it again stores it twice.
 */
public class ReplicasNotConfirmedException extends RedisException {

    private final String id;

    private final long confirmed;

    public ReplicasNotConfirmedException(String id, long confirmed, ReplicaWait required) {
        super("Stored on the master as " + id + ", but " + confirmed + " of the " + required.replicas()
                + " required replicas confirmed it within " + required.timeout() + ": it is lost if the master fails "
                + "over before a replica has it, and sending it again stores it twice");
        this.id = id;
        this.confirmed = confirmed;
    }

    /** The entry's id on the master. */
    public String id() {
        return this.id;
    }

    /** How many replicas confirmed it. */
    public long confirmed() {
        return this.confirmed;
    }
}
