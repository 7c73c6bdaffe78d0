package io.flextime.benchmarks;

import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * A scenario's figures: the median of each over the measured rounds, and the worst loss and duplicate counts of
 * any round (a single lost event must show). {@code skipped} says why a scenario did not run.
 */
record ScenarioResult(String scenario, String description, int rounds, double eventsPerSecond, double p50Millis,
        double p99Millis, double p999Millis, double cpuCores, double cpuMicrosPerEvent, double peakHeapMb, double peakRssMb, int lost,
        int duplicates, String skipped) {

    /** Loss and duplicates count in warm-ups too: a warm-up that loses an event is a finding, not a warm-up. */
    static ScenarioResult of(String scenario, String description, List<RoundResult> rounds, List<RoundResult> warmups) {
        List<RoundResult> all = java.util.stream.Stream.concat(rounds.stream(), warmups.stream()).toList();
        return new ScenarioResult(scenario, description, rounds.size(), median(rounds, RoundResult::eventsPerSecond),
                median(rounds, round -> round.latencyMillis(50)), median(rounds, round -> round.latencyMillis(99)),
                median(rounds, round -> round.latencyMillis(99.9)), median(rounds, RoundResult::cpuCores),
                median(rounds, RoundResult::cpuMicrosPerEvent),
                median(rounds, round -> round.peakHeapBytes() / 1048576.0),
                median(rounds, round -> round.peakRssBytes() / 1048576.0),
                all.stream().mapToInt(RoundResult::lost).max().orElse(0),
                all.stream().mapToInt(round -> round.duplicates() + round.strays()).max().orElse(0), null);
    }

    static ScenarioResult skipped(String scenario, String description, String why) {
        return new ScenarioResult(scenario, description, 0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN,
                Double.NaN, Double.NaN, Double.NaN, 0, 0, why);
    }

    private static double median(List<RoundResult> rounds, ToDoubleFunction<RoundResult> figure) {
        double[] values = rounds.stream().mapToDouble(figure).sorted().toArray();
        if (values.length == 0) {
            return Double.NaN;
        }
        int middle = values.length / 2;
        return values.length % 2 == 1 ? values[middle] : (values[middle - 1] + values[middle]) / 2;
    }
}
