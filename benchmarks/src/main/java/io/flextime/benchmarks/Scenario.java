package io.flextime.benchmarks;

/** One thing to measure. It sets itself up when created and tears down on {@link #close()}. */
interface Scenario extends AutoCloseable {

    /** Runs one round of {@code events} events, from publish to handler, and measures it. */
    RoundResult round(int events) throws Exception;

    @Override
    void close();
}
