package io.flextime.streams.binder.inbound;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The entries of one reader that the application holds: handed out and not yet settled (a polled entry, or a
 * {@code MANUAL}-mode delivery whose handler returned). They count as in hand (their ownership is refreshed, so no
 * claim takes them) and a re-read of the reader's own pending entries passes over them, until the callback settles
 * them, lets go of them, or is garbage ({@link SettlingCallback}).
 */
final class UnsettledEntries {

    /** Each id with a token of its delivery: a late release of an earlier delivery of the same entry removes nothing. */
    private final Map<String, Object> held = new ConcurrentHashMap<>();

    /**
     * Holds {@code ids}; the returned release lets go of exactly this delivery of them. It captures the ids, never a
     * callback or a message: a {@link SettlingCallback} runs it when the callback is garbage.
     */
    Runnable hold(List<String> ids) {
        Object delivery = new Object();
        ids.forEach(id -> this.held.put(id, delivery));
        return () -> ids.forEach(id -> this.held.remove(id, delivery));
    }

    boolean contains(String id) {
        return this.held.containsKey(id);
    }

    /** The ids held now, a live view. */
    Set<String> ids() {
        return Collections.unmodifiableSet(this.held.keySet());
    }
}
