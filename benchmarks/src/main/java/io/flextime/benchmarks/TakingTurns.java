package io.flextime.benchmarks;

import java.util.ArrayList;
import java.util.List;

/**
 * Measures the throughput scenarios in turns: all are set up first, then every warm-up round and every measured
 * round goes through each scenario in order before the next round begins.
 *
 * <p>Why: the build machine is shared, and a noisy minute used to fall on whichever scenario was running, all of
 * its rounds at once; a target ratio could then compare a quiet {@code limit} with a noisy {@code binder}. Taking
 * turns, a noisy minute costs each scenario about one round, and the medians a ratio divides come from the same
 * stretch of time. The price: the scenarios waiting for their turn stay open (idle readers waiting on
 * blocked reads; the {@code Supplier} scenario stops its poller between its rounds), and CPU and heap are the
 * whole JVM's, so those columns include the idle ones.
 */
final class TakingTurns {

    /** A throughput scenario to measure: its name in the report, what it is, and how to set it up. */
    record Contender(String name, String description, ScenarioFactory factory) {
    }

    private TakingTurns() {
    }

    static void measure(List<Contender> contenders, BenchmarkOptions options, ResultsReport report) throws Exception {
        if (contenders.isEmpty()) {
            return;
        }
        List<Turn> turns = new ArrayList<>();
        try {
            for (Contender contender : contenders) {
                System.out.println(contender.name() + ": " + contender.description());
                turns.add(new Turn(contender, contender.factory().create()));
            }
            System.out.println(options.warmups() + " warm-up and " + options.rounds() + " measured rounds of "
                    + options.events() + " events, the scenarios taking turns");
            for (int i = 0; i < options.warmups(); i++) {
                for (Turn turn : turns) {
                    turn.warmups.add(turn.scenario.round(options.events()));
                }
            }
            for (int i = 0; i < options.rounds(); i++) {
                for (Turn turn : turns) {
                    RoundResult round = turn.scenario.round(options.events());
                    System.out.println("  round " + (i + 1) + " of " + turn.contender.name() + ": " + round.summary());
                    turn.rounds.add(round);
                }
            }
            for (Turn turn : turns) {
                report.add(ScenarioResult.of(turn.contender.name(), turn.contender.description(), turn.rounds,
                        turn.warmups));
            }
        }
        finally {
            for (Turn turn : turns) {
                turn.scenario.close();
            }
        }
    }

    private record Turn(Contender contender, Scenario scenario, List<RoundResult> warmups, List<RoundResult> rounds) {

        Turn(Contender contender, Scenario scenario) {
            this(contender, scenario, new ArrayList<>(), new ArrayList<>());
        }
    }
}
