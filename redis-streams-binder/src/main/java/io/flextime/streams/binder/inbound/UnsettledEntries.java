package io.flextime.streams.binder.inbound;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The entries of one reader that the application holds in {@code MANUAL} mode: delivered, its handler returned, not
 * yet settled. They count as in hand (their ownership is refreshed, so no claim takes them) and a recovery of the
 * reader's own pending entries passes over them, until the callback settles them or is garbage.
 */
final class UnsettledEntries {

    /** Each id with a token of its delivery: a late release of an earlier delivery of the same entry removes nothing. */
    private final Map<String, Object> held = new ConcurrentHashMap<>();

    /** Holds {@code ids}; the returned release lets go of exactly this delivery of them. */
    Runnable hold(List<String> ids) {
        Object delivery = new Object();
        ids.forEach(id -> this.held.put(id, delivery));
        return () -> ids.forEach(id -> this.held.remove(id, delivery));
    }

    boolean contains(String id) {
        return this.held.containsKey(id);
    }

    String[] ids() {
        return this.held.keySet().toArray(String[]::new);
    }
}
