package io.flextime.benchmarks;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** When a paced event is due. */
class PacerTests {

    @Test
    void theClockStartsAtTheFirstEventNotWhenThePacerIsMade() {
        Pacer pacer = new Pacer(1_000);
        long made = System.nanoTime();
        long later = made;
        while (later == made) {
            later = System.nanoTime();
        }

        assertThat(pacer.awaitTurn(0)).isGreaterThanOrEqualTo(later);
    }

    @Test
    void eventsAreDueOneIntervalApart() {
        Pacer pacer = new Pacer(1_000);

        long first = pacer.awaitTurn(0);

        assertThat(pacer.awaitTurn(2) - first).isEqualTo(2_000_000);
    }
}
