package io.flextime.streams.monitor;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** What the history keeps: series that come and go, and passes that failed. */
class MonitorHistoryTests {

    @Test
    void aSeriesNotFedForOneHistorySpanIsDropped() {
        MonitorHistory history = new MonitorHistory(3);
        history.record(snapshot(1_000, "anonymous.1", "workers"));
        for (int pass = 2; pass <= 3; pass++) {
            history.record(snapshot(pass * 1_000, "workers"));
        }
        String gone = MonitorHistory.groupSeries("s", "anonymous.1", "lag");
        assertThat(history.series(gone).since(0)).hasSize(1);

        history.record(snapshot(4_000, "workers"));

        assertThat(history.series(gone).since(0)).isEmpty();
        assertThat(history.series(MonitorHistory.groupSeries("s", "workers", "lag")).since(0)).hasSize(3);
    }

    @Test
    void aFailedPassIsAGapInEverySeriesNotALineAcrossTheOutage() {
        MonitorHistory history = new MonitorHistory(10);
        history.record(snapshot(1_000, "workers"));

        history.recordGap(2_000);
        history.record(snapshot(3_000, "workers"));

        assertThat(history.series(MonitorHistory.streamSeries("s", "length")).since(0))
                .extracting(TimeSeries.Point::value).containsExactly(5L, null, 5L);
        assertThat(history.series(MonitorHistory.groupSeries("s", "workers", "lag")).since(2_000))
                .extracting(TimeSeries.Point::timeMillis).containsExactly(2_000L, 3_000L);
    }

    private static MonitorSnapshot snapshot(long atMillis, String... groups) {
        List<GroupSnapshot> groupSnapshots = java.util.Arrays.stream(groups).map(group -> new GroupSnapshot(group, 0L, 5L, 0,
                "5-0", null, 0, null, List.of(), ProcessingCounts.NONE, null)).toList();
        return new MonitorSnapshot(Instant.ofEpochMilli(atMillis), List.of(new StreamSnapshot("s", "s", false, 5, "1-0",
                "5-0", 5L, null, groupSnapshots)), 1);
    }
}
