package io.flextime.events.api;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.lettuce.core.RedisCommandExecutionException;

import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import io.flextime.streams.monitor.GoneReplies;
import io.flextime.streams.monitor.StreamAdmin;
import io.flextime.streams.monitor.StreamMonitor;
import io.flextime.streams.monitor.StreamSnapshot;

/**
 * The brief's Administration endpoints, through the same {@link StreamAdmin} the desktop monitor uses. Each
 * works only on existing streams under the prefix (never creates or touches another key), and deleting a
 * stream needs {@code ?confirm=<its name>}.
 */
@RestController
public class AdminApi {

    private final StreamNames names;

    private final StreamAdmin admin;

    private final StreamMonitor monitor;

    public AdminApi(StreamNames names, StreamAdmin admin, StreamMonitor monitor) {
        this.names = names;
        this.admin = admin;
        this.monitor = monitor;
    }

    /** Body {@code {"maxLength": n}} or {@code {"minId": "<id>"}} (exactly one; {@code "approximate": true} for {@code ~}). */
    @PostMapping("/api/admin/streams/{name}/trim")
    Map<String, Object> trim(@PathVariable String name, @RequestBody TrimRequest request) {
        String key = existingStream(name);
        if ((request.maxLength() == null) == (request.minId() == null)) {
            throw ApiProblem.badRequest("Give exactly one of 'maxLength' (entries to keep) or 'minId' (oldest id to keep)");
        }
        boolean approximate = Boolean.TRUE.equals(request.approximate());
        long removed;
        if (request.maxLength() != null) {
            if (request.maxLength() < 0) {
                throw ApiProblem.badRequest("'maxLength' must be 0 or more, got " + request.maxLength());
            }
            removed = this.admin.trimToLength(key, request.maxLength(), approximate);
        }
        else {
            removed = this.admin.trimToMinId(key, StreamNames.entryId("minId", request.minId()), approximate);
        }
        return Map.of("stream", this.names.name(key), "removed", removed, "length", this.admin.length(key));
    }

    /**
     * Body {@code {"to": "$" | "0" | "<id>", "stream": "<name>"}}: one stream, or every stream the group reads when no
     * stream is given. Those come from a snapshot taken just before; a stream, or its group, that goes away between
     * the snapshot and its turn is left out and listed under {@code skipped}, not a 404 after the streams before it
     * were reset.
     */
    @PostMapping("/api/admin/consumers/{group}/reset")
    Map<String, Object> reset(@PathVariable String group, @RequestBody ResetRequest request) {
        String name = this.names.group(group);
        if (request.to() == null) {
            throw ApiProblem.badRequest("'to' must be '$' (only new entries), '0' (from the start) or an entry id");
        }
        String to = request.to().equals("$") ? "$" : StreamNames.entryId("to", request.to());
        boolean named = request.stream() != null;
        List<String> keys = named ? List.of(existingStream(request.stream())) : streamsReading(name);
        List<String> reset = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        for (String key : keys) {
            try {
                this.admin.resetGroup(key, name, to);
                reset.add(this.names.name(key));
            }
            catch (RedisCommandExecutionException ex) {
                if (!GoneReplies.isGone(ex.getMessage())) {
                    throw ex;
                }
                if (named) {
                    throw ApiProblem.notFound("Group '" + name + "' does not read '" + this.names.name(key) + "'");
                }
                skipped.add(this.names.name(key));
            }
        }
        if (reset.isEmpty()) {
            throw ApiProblem.notFound("No stream has a group '" + name + "'");
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("group", name);
        answer.put("to", to);
        answer.put("streams", reset);
        if (!skipped.isEmpty()) {
            answer.put("skipped", skipped);
        }
        return answer;
    }

    @DeleteMapping("/api/admin/streams/{name}")
    Map<String, Object> delete(@PathVariable String name, @RequestParam(required = false) String confirm) {
        String key = existingStream(name);
        if (confirm == null || !(confirm.equals(this.names.name(key)) || confirm.equals(key))) {
            throw ApiProblem.badRequest("Deleting a stream loses its entries and groups for good. Repeat its name to "
                    + "confirm: DELETE /api/admin/streams/" + this.names.name(key) + "?confirm=" + this.names.name(key));
        }
        return Map.of("stream", this.names.name(key), "deleted", this.admin.deleteStream(key));
    }

    /**
     * Moves up to {@code max} entries of a dead-letter stream back to the streams they came from, if those are
     * existing streams under the prefix; the others stay, reported as skipped.
     */
    @PostMapping("/api/admin/dead-letters/{name}/replay")
    StreamAdmin.ReplayResult replay(@PathVariable String name, @RequestParam(defaultValue = "100") int max) {
        String key = existingStream(name);
        if (!key.endsWith(StreamSnapshot.DEAD_LETTER_SUFFIX)) {
            throw ApiProblem.badRequest("'" + this.names.name(key) + "' is not a dead-letter stream (those end in .dlq)");
        }
        if (max < 1 || max > StreamsApi.MAX_COUNT) {
            throw ApiProblem.badRequest("'max' must be between 1 and " + StreamsApi.MAX_COUNT + ", got " + max);
        }
        return this.admin.replayDeadLetters(key, max, this.names.prefix());
    }

    private String existingStream(String name) {
        String key = this.names.key(name);
        if (!this.admin.isStream(key)) {
            throw ApiProblem.notFound("No stream '" + this.names.name(key) + "' under '" + this.names.prefix() + "'");
        }
        return key;
    }

    private List<String> streamsReading(String group) {
        return this.monitor.snapshotNow().streams().stream()
                .filter(stream -> stream.groups().stream().anyMatch(candidate -> candidate.name().equals(group)))
                .map(StreamSnapshot::key).toList();
    }

    record TrimRequest(Long maxLength, String minId, Boolean approximate) {
    }

    record ResetRequest(String to, String stream) {
    }
}
