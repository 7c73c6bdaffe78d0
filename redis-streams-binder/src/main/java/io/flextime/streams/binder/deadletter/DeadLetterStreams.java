package io.flextime.streams.binder.deadletter;

import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which dead-letter stream an entry of a given stream key and group goes to. By default every stream key
 * (every partition) has its own, in its hash slot ({@link DeadLetterFields#defaultStream}); a binding's
 * {@code dead-letter-stream} property sends all its keys to one stream instead. A binding with several
 * destinations ({@code destination: a,b}) shares one error channel, and with it one dead-letter handler, so
 * the handler looks the stream up by the failed entry's key.
 */
public final class DeadLetterStreams {

    private final Map<String, String> configured = new ConcurrentHashMap<>();

    /** @param deadLetterStream the binding's configured stream, or {@code null} for the per-key default */
    public void register(Collection<String> keys, String group, String deadLetterStream) {
        if (deadLetterStream != null) {
            keys.forEach(key -> this.configured.put(id(key, group), deadLetterStream));
        }
    }

    public String forEntry(String key, String group) {
        String configuredStream = this.configured.get(id(key, group));
        return configuredStream != null ? configuredStream : DeadLetterFields.defaultStream(key, group);
    }

    private static String id(String key, String group) {
        return key + '\u0000' + group;
    }
}
