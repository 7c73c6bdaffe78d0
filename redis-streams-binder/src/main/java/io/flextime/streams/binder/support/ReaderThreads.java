package io.flextime.streams.binder.support;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Ties the sends a handler makes (a {@code Function}'s output, a {@code StreamBridge} send) to the entries being
 * handled on a reader's thread. An entry is acknowledged once its handler has returned; a pipelined send of its
 * could still be refused by Redis, or lost in a crash, after that, and the input would never come again. So the
 * reader acknowledges an entry only once Redis confirmed every send made while handling it; one whose sends were
 * not confirmed stays pending and is handled again. The sends stay pipelined: the reader waits once per read
 * batch, just before its {@code XACK}, not once per send.
 */
public final class ReaderThreads {

    private static final ThreadLocal<Sends> SENDS = new ThreadLocal<>();

    private ReaderThreads() {
    }

    /** Runs {@code work} on the current thread as a reader's. */
    public static void runAsReader(Runnable work) {
        SENDS.set(new Sends());
        try {
            work.run();
        }
        finally {
            SENDS.remove();
        }
    }

    /**
     * The entries the handler about to run works on (one, or a whole batch in batch mode): sends from now on are
     * theirs, one list for them all.
     */
    public static void handling(List<String> ids) {
        Sends sends = SENDS.get();
        if (sends != null) {
            sends.currentIds = ids;
            sends.currentReplies = null;
        }
    }

    /**
     * A pipelined send's reply, to be confirmed before the entries being handled are acknowledged. The entries get
     * their list with their first send: most handlers send nothing, and pay nothing per entry.
     */
    public static void sent(CompletableFuture<?> reply) {
        Sends sends = SENDS.get();
        if (sends == null || sends.currentIds.isEmpty()) {
            return;
        }
        if (sends.currentReplies == null) {
            sends.currentReplies = new ArrayList<>();
            for (String id : sends.currentIds) {
                sends.byEntry.put(id, sends.currentReplies);
            }
        }
        sends.currentReplies.add(reply);
    }

    /**
     * Of {@code ids}, those whose sends Redis confirmed, waiting for the replies within {@code timeout}. Everything
     * tracked is forgotten then, the sends of entries not acknowledged now (failed ones) included.
     */
    public static List<String> confirmed(List<String> ids, Duration timeout) {
        Sends sends = SENDS.get();
        if (sends == null || sends.byEntry.isEmpty()) {
            forget();
            return ids;
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<List<CompletableFuture<?>>, Boolean> verdicts = new IdentityHashMap<>();
        List<String> confirmed = new ArrayList<>(ids.size());
        for (String id : ids) {
            List<CompletableFuture<?>> replies = sends.byEntry.getOrDefault(id, List.of());
            if (verdicts.computeIfAbsent(replies, ignored -> allSucceeded(replies, deadline))) {
                confirmed.add(id);
            }
        }
        forget();
        return confirmed;
    }

    /** Forgets every send tracked: the entries they belong to are not acknowledged by this reader now. */
    public static void forget() {
        Sends sends = SENDS.get();
        if (sends != null) {
            sends.byEntry.clear();
            sends.currentIds = List.of();
            sends.currentReplies = null;
        }
    }

    private static boolean allSucceeded(List<CompletableFuture<?>> replies, long deadline) {
        for (CompletableFuture<?> reply : replies) {
            try {
                reply.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                return false;
            }
            catch (Exception ex) {
                return false;
            }
        }
        return true;
    }

    /** Whether the current thread hands entries to the application. */
    public static boolean isCurrent() {
        return SENDS.get() != null;
    }

    private static final class Sends {

        private List<String> currentIds = List.of();

        private List<CompletableFuture<?>> currentReplies;

        private final Map<String, List<CompletableFuture<?>>> byEntry = new HashMap<>();
    }
}
