package io.flextime.events.api;

import java.util.List;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

import io.flextime.streams.monitor.StreamMonitor;

/** The brief's Consumer Information endpoints: every group, with consumers, pending, lag and the oldest pending age. */
@RestController
public class ConsumersApi {

    private final StreamMonitor monitor;

    private final StreamNames names;

    public ConsumersApi(StreamMonitor monitor, StreamNames names) {
        this.monitor = monitor;
        this.names = names;
    }

    @GetMapping("/api/consumers")
    List<StreamViews.GroupView> groups() {
        return this.monitor.snapshotNow().streams().stream()
                .flatMap(stream -> stream.groups().stream().map(group -> StreamViews.of(stream, group))).toList();
    }

    /** The group on every stream it reads. */
    @GetMapping("/api/consumers/{group}")
    List<StreamViews.GroupView> group(@PathVariable String group) {
        String name = this.names.group(group);
        List<StreamViews.GroupView> found = groups().stream().filter(view -> view.name().equals(name)).toList();
        if (found.isEmpty()) {
            throw ApiProblem.notFound("No consumer group '" + name + "' on any stream; GET /api/consumers lists them");
        }
        return found;
    }
}
