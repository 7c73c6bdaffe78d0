package io.flextime.events.api;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.lettuce.core.StreamMessage;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import io.flextime.streams.monitor.StreamAdmin;
import io.flextime.streams.monitor.StreamIds;
import io.flextime.streams.monitor.StreamMonitor;
import io.flextime.streams.monitor.StreamSnapshot;

/** The brief's Stream Information endpoints. */
@RestController
public class StreamsApi {

    static final int MAX_COUNT = 1000;

    private final StreamMonitor monitor;

    private final StreamNames names;

    private final StreamAdmin admin;

    private final JsonMapper jsonMapper;

    public StreamsApi(StreamMonitor monitor, StreamNames names, StreamAdmin admin, JsonMapper jsonMapper) {
        this.monitor = monitor;
        this.names = names;
        this.admin = admin;
        this.jsonMapper = jsonMapper;
    }

    @GetMapping("/api/streams")
    List<StreamViews.StreamView> streams() {
        return this.monitor.snapshotNow().streams().stream().map(StreamViews::of).toList();
    }

    @GetMapping("/api/streams/{name}")
    StreamViews.StreamView stream(@PathVariable String name) {
        return StreamViews.of(find(name));
    }

    /**
     * Entries between {@code start} and {@code end} (ids, {@code -}, {@code +}; {@code (} excludes), at most
     * {@code count} (1 to 1000), oldest first unless {@code reverse}. Each is decoded into its event where the
     * payload is JSON.
     */
    @GetMapping("/api/streams/{name}/messages")
    Map<String, Object> messages(@PathVariable String name, @RequestParam(defaultValue = "-") String start,
            @RequestParam(defaultValue = "+") String end, @RequestParam(defaultValue = "100") int count,
            @RequestParam(defaultValue = "false") boolean reverse) {
        String key = find(name).key();
        if (count < 1 || count > MAX_COUNT) {
            throw ApiProblem.badRequest("'count' must be between 1 and " + MAX_COUNT + ", got " + count);
        }
        List<StreamMessage<String, String>> entries = this.admin.entries(key, StreamNames.id("start", start),
                StreamNames.id("end", end), count, reverse);
        List<Map<String, Object>> messages = new ArrayList<>(entries.size());
        for (StreamMessage<String, String> entry : entries) {
            messages.add(decode(entry));
        }
        Map<String, Object> page = new LinkedHashMap<>();
        page.put("stream", this.names.name(key));
        page.put("count", messages.size());
        page.put("messages", messages);
        if (messages.size() == count) {
            String last = entries.get(entries.size() - 1).getId();
            page.put("next", reverse ? Map.of("end", "(" + last) : Map.of("start", "(" + last));
        }
        return page;
    }

    private StreamSnapshot find(String name) {
        String key = this.names.key(name);
        return this.monitor.snapshotNow(key).orElseThrow(() -> ApiProblem.notFound("No stream '" + this.names.name(key) + "' under '" + this.names.prefix()
                        + "'; GET /api/streams lists them"));
    }

    private Map<String, Object> decode(StreamMessage<String, String> entry) {
        Map<String, Object> message = new LinkedHashMap<>();
        message.put("id", entry.getId());
        message.put("timestamp", StreamIds.millis(entry.getId()));
        Map<String, String> fields = new LinkedHashMap<>(entry.getBody());
        String payload = fields.remove("payload");
        message.put("fields", fields);
        JsonNode event = parse(payload);
        if (event != null && event.isObject()) {
            message.put("event", event);
        }
        else {
            message.put("payload", payload);
        }
        return message;
    }

    private JsonNode parse(String payload) {
        if (payload == null) {
            return null;
        }
        try {
            return this.jsonMapper.readTree(payload);
        }
        catch (JacksonException ex) {
            return null;
        }
    }
}
