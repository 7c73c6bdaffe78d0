package io.flextime.streams.binder.support;

/**
 * Marks the threads that hand stream entries to the application. An entry is acknowledged once its handler has
 * returned; a pipelined send the handler made (a {@code Function}'s output, a {@code StreamBridge} send) could still
 * be refused by Redis, or lost in a crash, after that acknowledgement, and the input would never come again. So a
 * producer sends synchronously on these threads: the send is confirmed, or its failure is the handler's, before the
 * entry counts as done.
 */
public final class ReaderThreads {

    private static final ThreadLocal<Boolean> READER = new ThreadLocal<>();

    private ReaderThreads() {
    }

    /** Runs {@code work} on the current thread as a reader's. */
    public static void runAsReader(Runnable work) {
        READER.set(Boolean.TRUE);
        try {
            work.run();
        }
        finally {
            READER.remove();
        }
    }

    /** Whether the current thread hands entries to the application. */
    public static boolean isCurrent() {
        return READER.get() != null;
    }
}
