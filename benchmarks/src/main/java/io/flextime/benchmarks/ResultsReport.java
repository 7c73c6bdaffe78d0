package io.flextime.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import tools.jackson.databind.json.JsonMapper;

/** The run's figures as a table on standard output, the targets as ratios, and the same as JSON. */
final class ResultsReport {

    private final List<ScenarioResult> results = new ArrayList<>();

    private final Map<String, String> notes = new LinkedHashMap<>();

    void add(ScenarioResult result) {
        this.results.add(result);
    }

    void note(String scenario, String note) {
        this.notes.put(scenario, note);
    }

    void print(Map<String, Object> machine) {
        System.out.println();
        System.out.println("Machine: " + machine);
        System.out.printf(Locale.ROOT, "%-20s %12s %9s %9s %9s %6s %9s %9s %9s %6s %6s  %s%n", "scenario",
                "events/s", "p50 ms", "p99 ms", "p99.9 ms", "cores", "CPU us/ev", "heap MB", "RSS MB", "lost", "dups", "note");
        for (ScenarioResult result : this.results) {
            if (result.skipped() != null) {
                System.out.printf(Locale.ROOT, "%-20s skipped: %s%n", result.scenario(), result.skipped());
                continue;
            }
            System.out.printf(Locale.ROOT, "%-20s %12.0f %9.2f %9.2f %9.2f %6.2f %9.1f %9.0f %9.0f %6d %6d  %s%n",
                    result.scenario(), result.eventsPerSecond(), result.p50Millis(), result.p99Millis(),
                    result.p999Millis(), result.cpuCores(), result.cpuMicrosPerEvent(), result.peakHeapMb(),
                    result.peakRssMb(), result.lost(), result.duplicates(), this.notes.getOrDefault(result.scenario(), ""));
        }
        System.out.println();
        System.out.println("Targets (ratios of figures from this run):");
        ratio("binder / limit throughput", "binder", "limit", ScenarioResult::eventsPerSecond, "target >= 0.7");
        ratio("binder / limit JVM CPU per event", "binder", "limit", ScenarioResult::cpuMicrosPerEvent,
                "no target: the work the binder's path adds per event");
        ratio("binder-native / limit throughput", "binder-native", "limit", ScenarioResult::eventsPerSecond,
                "target >= 0.7");
        ratio("binder / limit-parsed throughput", "binder", "limit-parsed", ScenarioResult::eventsPerSecond,
                "no target: both sides parse JSON");
        ratio("binder-supplier / limit throughput", "binder-supplier", "limit", ScenarioResult::eventsPerSecond,
                "target >= 0.7");
        ratio("binder-batch / limit throughput", "binder-batch", "limit", ScenarioResult::eventsPerSecond, "target >= 0.7");
        ratio("binder-batch / limit-parsed throughput", "binder-batch", "limit-parsed", ScenarioResult::eventsPerSecond,
                "no target: both sides parse JSON");
        ratio("binder / Spring Integration throughput", "binder", "spring-integration", ScenarioResult::eventsPerSecond,
                "target >= 2");
        ratio("steady binder p99 / steady raw p99", "steady-binder", "steady-raw", ScenarioResult::p99Millis, "target <= 2");
        ratio("binder-replicated / binder-with-replica", "binder-replicated", "binder-with-replica",
                ScenarioResult::eventsPerSecond, "no target: what waiting for a replica costs");
    }

    private void ratio(String label, String numerator, String denominator,
            java.util.function.ToDoubleFunction<ScenarioResult> figure, String comparedWith) {
        Optional<ScenarioResult> top = find(numerator);
        Optional<ScenarioResult> bottom = find(denominator);
        if (top.isEmpty() || bottom.isEmpty()) {
            System.out.printf(Locale.ROOT, "  %-42s not measured (needs %s and %s)%n", label, numerator, denominator);
            return;
        }
        System.out.printf(Locale.ROOT, "  %-42s %6.2f   (%s)%n", label,
                figure.applyAsDouble(top.get()) / figure.applyAsDouble(bottom.get()), comparedWith);
    }

    Optional<ScenarioResult> find(String scenario) {
        return this.results.stream().filter(result -> result.scenario().equals(scenario) && result.skipped() == null)
                .findFirst();
    }

    /** Writes {@code results/<timestamp>.json} and returns its path. */
    Path writeJson(Path directory, Map<String, Object> machine, BenchmarkOptions options) throws IOException {
        Files.createDirectories(directory);
        String stamp = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC).format(Instant.now());
        Path file = directory.resolve("benchmark-" + stamp + ".json");
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("machine", machine);
        document.put("options", options);
        document.put("results", this.results);
        document.put("notes", this.notes);
        JsonMapper.builder().build().writerWithDefaultPrettyPrinter().writeValue(file.toFile(), document);
        return file;
    }
}
