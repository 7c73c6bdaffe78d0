package io.flextime.events.publish;

import java.util.List;

/** Per-event outcomes of a batch, in request order; invalid events never hold back the valid ones. */
public record BatchResult(int published, int notPublished, List<PublishResult> results) {

    static BatchResult of(List<PublishResult> results) {
        int published = (int) results.stream().filter(PublishResult::isPublished).count();
        return new BatchResult(published, results.size() - published, List.copyOf(results));
    }
}
