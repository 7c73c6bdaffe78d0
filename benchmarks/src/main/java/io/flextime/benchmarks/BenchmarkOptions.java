package io.flextime.benchmarks;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What to run and at what scale, from {@code --name=value} flags.
 *
 * @param scenarios the scenario names to run, in order
 * @param events events per round
 * @param payloadBytes approximate size of one serialized envelope
 * @param rounds measured rounds per scenario (the median is reported)
 * @param warmups rounds run first and thrown away
 * @param concurrency consumer threads (binder {@code concurrency}; raw Lettuce readers)
 * @param count {@code XREADGROUP COUNT}
 * @param ackBatch entries acknowledged per {@code XACK} in the raw scenario
 * @param rate events per second in the steady-rate scenario
 * @param steadyFor how long the steady-rate scenario runs
 * @param recoveryEvents entries left pending by the killed consumer in the recovery scenario
 */
record BenchmarkOptions(List<String> scenarios, int events, int payloadBytes, int rounds, int warmups, int concurrency,
        int count, int ackBatch, int rate, Duration steadyFor, int recoveryEvents) {

    static final List<String> ALL = List.of("limit", "limit-parsed", "binder", "binder-native", "binder-observed", "binder-supplier", "binder-batch",
            "binder-pipeline", "spring-integration", "rabbit", "binder-replicated", "steady-rate", "recovery");

    static BenchmarkOptions parse(String[] args) {
        Map<String, String> values = new HashMap<>();
        for (String arg : args) {
            int equals = arg.indexOf('=');
            if (!arg.startsWith("--") || equals < 0) {
                throw new IllegalArgumentException("Flags look like --events=200000, got '" + arg + "'");
            }
            values.put(arg.substring(2, equals), arg.substring(equals + 1));
        }
        List<String> scenarios = values.containsKey("scenarios") ? List.of(values.remove("scenarios").split(",")) : ALL;
        scenarios.stream().filter(name -> !ALL.contains(name)).findFirst().ifPresent(name -> {
            throw new IllegalArgumentException("Unknown scenario '" + name + "'; the scenarios are " + ALL);
        });
        BenchmarkOptions options = new BenchmarkOptions(scenarios, number(values, "events", 200_000),
                number(values, "payload-bytes", 400), number(values, "rounds", 3), number(values, "warmups", 2),
                number(values, "concurrency", 1), number(values, "count", 500), number(values, "ack-batch", 500),
                number(values, "rate", 20_000), Duration.ofSeconds(number(values, "steady-seconds", 60)),
                number(values, "recovery-events", 100_000));
        if (!values.isEmpty()) {
            throw new IllegalArgumentException("Unknown flags " + values.keySet() + "; see the README's Performance section");
        }
        return options;
    }

    /** The same scale with other round counts (scenarios that run once, such as steady-rate and recovery). */
    BenchmarkOptions withRounds(int measuredRounds, int warmupRounds) {
        return new BenchmarkOptions(this.scenarios, this.events, this.payloadBytes, measuredRounds, warmupRounds,
                this.concurrency, this.count, this.ackBatch, this.rate, this.steadyFor, this.recoveryEvents);
    }

    private static int number(Map<String, String> values, String name, int fallback) {
        String value = values.remove(name);
        try {
            return value == null ? fallback : Integer.parseInt(value);
        }
        catch (NumberFormatException ex) {
            throw new IllegalArgumentException("--" + name + " must be a whole number, got '" + value + "'");
        }
    }
}
