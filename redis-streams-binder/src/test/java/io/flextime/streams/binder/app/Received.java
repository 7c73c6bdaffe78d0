package io.flextime.streams.binder.app;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** What one application's consumer handled, in handling order. */
public class Received<T> {

    private final List<T> items = new CopyOnWriteArrayList<>();

    void add(T item) {
        this.items.add(item);
    }

    public List<T> items() {
        return List.copyOf(this.items);
    }

    public int size() {
        return this.items.size();
    }
}
