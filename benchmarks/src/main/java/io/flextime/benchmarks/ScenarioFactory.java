package io.flextime.benchmarks;

/** Sets a scenario up: Spring contexts and connections are made here, outside any measured round. */
@FunctionalInterface
interface ScenarioFactory {

    Scenario create() throws Exception;
}
