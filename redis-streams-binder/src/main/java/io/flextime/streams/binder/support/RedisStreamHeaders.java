package io.flextime.streams.binder.support;

/** Headers the binder adds to inbound messages. None of them is written back to Redis. */
public final class RedisStreamHeaders {

    /** Prefix shared by every binder header; headers with it are not copied onto outbound entries. */
    public static final String PREFIX = "redis_";

    /** The stream key the entry was read from. */
    public static final String STREAM = PREFIX + "stream";

    /** The entry id, {@code <milliseconds>-<sequence>}. On a synchronous send, the id Redis assigned. */
    public static final String RECORD_ID = PREFIX + "recordId";

    /** The consumer group that read the entry. */
    public static final String GROUP = PREFIX + "group";

    /** The consumer name within the group. */
    public static final String CONSUMER = PREFIX + "consumer";

    private RedisStreamHeaders() {
    }
}
