package io.flextime.streams.binder.deadletter;

import java.util.List;

import io.flextime.streams.monitor.SlotKeys;
import io.flextime.streams.monitor.StreamSnapshot;

/**
 * The fields a dead-letter entry adds to the original's {@code payload} and header fields. All start with
 * {@code dlq_}, so a replay can strip them and restore the original entry.
 */
public final class DeadLetterFields {

    public static final String PREFIX = "dlq_";

    public static final String ORIGINAL_STREAM = PREFIX + "originalStream";

    public static final String ORIGINAL_ID = PREFIX + "originalId";

    public static final String GROUP = PREFIX + "group";

    public static final String DELIVERY_COUNT = PREFIX + "deliveryCount";

    public static final String EXCEPTION_CLASS = PREFIX + "exceptionClass";

    public static final String EXCEPTION_MESSAGE = PREFIX + "exceptionMessage";

    /** At most {@link #STACK_TRACE_LIMIT} characters of the stack trace, causes included. */
    public static final String STACK_TRACE = PREFIX + "stackTrace";

    /** When it was dead-lettered, ISO-8601. */
    public static final String FAILED_AT = PREFIX + "failedAt";

    public static final int STACK_TRACE_LIMIT = 8 * 1024;

    public static final List<String> ALL = List.of(ORIGINAL_STREAM, ORIGINAL_ID, GROUP, DELIVERY_COUNT,
            EXCEPTION_CLASS, EXCEPTION_MESSAGE, STACK_TRACE, FAILED_AT);

    private DeadLetterFields() {
    }

    /**
     * The default dead-letter stream of a stream key and group, {@code {<stream key>}.<group>.dlq}: one per
     * partition, in the partition's hash slot (see {@link SlotKeys}).
     */
    public static String defaultStream(String streamKey, String group) {
        return SlotKeys.companion(streamKey, "." + group + StreamSnapshot.DEAD_LETTER_SUFFIX);
    }
}
