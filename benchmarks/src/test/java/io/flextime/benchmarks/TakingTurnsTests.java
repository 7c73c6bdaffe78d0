package io.flextime.benchmarks;

import java.util.ArrayList;
import java.util.List;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The order in which throughput scenarios are set up, take their rounds, and are closed. */
class TakingTurnsTests {

    private final List<String> log = new ArrayList<>();

    private final BenchmarkOptions options = BenchmarkOptions.parse(new String[] { "--events=10", "--warmups=1",
            "--rounds=2" });

    @Test
    void everyRoundGoesThroughEachScenarioBeforeTheNextRoundBegins() throws Exception {
        ResultsReport report = new ResultsReport();

        TakingTurns.measure(List.of(contender("a"), contender("b")), this.options, report);

        assertThat(this.log).containsExactly("create a", "create b", "round a", "round b", "round a", "round b",
                "round a", "round b", "close a", "close b");
        assertThat(report.find("a")).hasValueSatisfying(result -> assertThat(result.rounds()).isEqualTo(2));
        assertThat(report.find("b")).hasValueSatisfying(result -> assertThat(result.rounds()).isEqualTo(2));
    }

    @Test
    void scenariosAlreadySetUpAreClosedWhenALaterOneFailsToStart() {
        TakingTurns.Contender failing = new TakingTurns.Contender("broken", "fails to start", () -> {
            throw new IllegalStateException("no broker");
        });

        assertThatThrownBy(() -> TakingTurns.measure(List.of(contender("a"), failing), this.options,
                new ResultsReport())).hasMessage("no broker");
        assertThat(this.log).containsExactly("create a", "close a");
    }

    private TakingTurns.Contender contender(String name) {
        return new TakingTurns.Contender(name, "scenario " + name, () -> {
            this.log.add("create " + name);
            return new Scenario() {

                @Override
                public RoundResult round(int events) {
                    TakingTurnsTests.this.log.add("round " + name);
                    return new RoundResult(events, 1_000_000, new Histogram(3), 0, 0, 0, 0, 0, 0);
                }

                @Override
                public void close() {
                    TakingTurnsTests.this.log.add("close " + name);
                }
            };
        });
    }
}
