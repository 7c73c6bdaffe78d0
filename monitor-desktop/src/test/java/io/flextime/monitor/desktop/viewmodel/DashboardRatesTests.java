package io.flextime.monitor.desktop.viewmodel;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** How the dashboard writes a summed rate: what it leaves out is said, as for the total lag. */
class DashboardRatesTests {

    @Test
    void aRateWithEveryPartKnownIsJustTheRate() {
        assertThat(DashboardViewModel.rate(12.34, 0)).isEqualTo("12.3/s");
    }

    @Test
    void aRateThatLeavesPartsOutSaysHowMany() {
        assertThat(DashboardViewModel.rate(12.34, 2)).isEqualTo("12.3/s (+2 unknown)");
    }

    @Test
    void noKnownRateIsADash() {
        assertThat(DashboardViewModel.rate(null, 3)).isEqualTo("–");
    }
}
