package io.flextime.benchmarks;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import tools.jackson.databind.json.JsonMapper;

import io.flextime.events.envelope.FlexTimeEvent;

/**
 * FlexTime envelopes of about the requested size: a {@code schedule.created} event whose {@code data.notes} is
 * padded to the size. {@code metadata} carries the sequence number and the send time that the consuming side
 * reads back.
 */
final class EventPayloads {

    private static final FlexTimeEvent.EventSource SOURCE = new FlexTimeEvent.EventSource("flextime-benchmarks",
            "bench-1", "1.0.0", null);

    private final JsonMapper json = JsonMapper.builder().build();

    private final String padding;

    EventPayloads(int payloadBytes) {
        int bare = json(event(0, 0, 0, "")).length;
        this.padding = "x".repeat(Math.max(0, payloadBytes - bare));
    }

    FlexTimeEvent event(int round, long sequence, long sentNanos) {
        return event(round, sequence, sentNanos, this.padding);
    }

    byte[] json(FlexTimeEvent event) {
        return this.json.writeValueAsBytes(event);
    }

    FlexTimeEvent parse(String json) {
        return this.json.readValue(json, FlexTimeEvent.class);
    }

    static int round(FlexTimeEvent event) {
        return ((Number) event.metadata().get("round")).intValue();
    }

    static long sequence(FlexTimeEvent event) {
        return ((Number) event.metadata().get("seq")).longValue();
    }

    static long sentNanos(FlexTimeEvent event) {
        return ((Number) event.metadata().get("sentNanos")).longValue();
    }

    private static FlexTimeEvent event(int round, long sequence, long sentNanos, String notes) {
        return new FlexTimeEvent("bench-" + sequence, "schedule.created", "1.0", Instant.now().toString(), SOURCE,
                "corr-" + sequence, null, "normal",
                Map.of("scheduleId", "sched-" + (sequence % 1000), "sport", "basketball", "season", "2026-27",
                        "notes", notes),
                Map.of("round", round, "seq", sequence, "sentNanos", sentNanos), List.of("benchmark"));
    }
}
