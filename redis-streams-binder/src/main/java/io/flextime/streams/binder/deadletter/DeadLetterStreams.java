package io.flextime.streams.binder.deadletter;

import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which dead-letter stream an entry of a given stream key and group goes to. A binding with several
 * destinations ({@code destination: a,b}) shares one error channel, and with it one dead-letter handler,
 * so the handler looks the stream up by the failed entry's key rather than remembering one.
 */
public final class DeadLetterStreams {

    private final Map<String, String> byKeyAndGroup = new ConcurrentHashMap<>();

    public void register(Collection<String> keys, String group, String deadLetterStream) {
        keys.forEach(key -> this.byKeyAndGroup.put(id(key, group), deadLetterStream));
    }

    /** @return the registered dead-letter stream, or {@code null} */
    public String forEntry(String key, String group) {
        return this.byKeyAndGroup.get(id(key, group));
    }

    private static String id(String key, String group) {
        return key + '\u0000' + group;
    }
}
