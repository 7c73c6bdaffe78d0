package io.flextime.benchmarks;

import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.flextime.streams.testing.RedisServerExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Every scenario, tiny, against a real Redis: it delivers every event exactly once and measures something. The
 * figures themselves are the benchmark's business, never a test's.
 */
class ScenarioSmokeTests {

    private static final int EVENTS = 300;

    @RegisterExtension
    static final RedisServerExtension redis = new RedisServerExtension();

    private static BenchmarkContext context;

    @BeforeAll
    static void context() {
        context = new BenchmarkContext(BenchmarkOptions.parse(new String[] { "--events=" + EVENTS, "--count=50",
                "--ack-batch=20" }), redis.server().uri().toString(), redis.server().supportsFaults());
    }

    @Test
    void rawLettuceDeliversEveryEventOnceWithAndWithoutParsing() throws Exception {
        for (boolean parse : List.of(false, true)) {
            try (Scenario scenario = new RawLettuceScenario(context, 0, parse)) {
                assertComplete(scenario.round(EVENTS));
            }
        }
    }

    @Test
    void rawLettuceAtAFixedRateDeliversEveryEventOnce() throws Exception {
        try (Scenario scenario = new RawLettuceScenario(context, 5_000, false)) {
            assertComplete(scenario.round(EVENTS));
        }
    }

    @Test
    void theBinderFromStreamBridgeASupplierThroughAFunctionAndInBatchesDeliversEveryEventOnce() throws Exception {
        for (BinderScenario.Mode mode : BinderScenario.Mode.values()) {
            try (BinderScenario scenario = new BinderScenario(context, "redis", mode, 0)) {
                assertThat(scenario.polling()).isFalse();
                assertComplete(scenario.round(EVENTS));
                assertThat(scenario.polling()).isFalse();
                assertComplete(scenario.round(EVENTS));
            }
        }
    }

    @Test
    void actuatorsPerMessageObservationsAreOffUnlessTheScenarioAsksForThem() throws Exception {
        for (boolean observed : List.of(false, true)) {
            try (BinderScenario scenario = new BinderScenario(context, "redis", BinderScenario.Mode.STREAM_BRIDGE, 0,
                    observed ? BinderScenario.Variant.OBSERVED : BinderScenario.Variant.PLAIN)) {
                assertComplete(scenario.round(EVENTS));
                assertThat(scenario.meters().find("spring.cloud.function").timer() != null).isEqualTo(observed);
                assertThat(scenario.meters().find("spring.integration.producer").timer() != null).isEqualTo(observed);
            }
        }
    }

    /** It attaches a replica to the benchmark's Redis, so only to one the benchmark started itself. */
    @Test
    void theBinderWaitingForAReplicaDeliversEveryEventOnce() throws Exception {
        assumeTrue(context.ownRedisProcess(), "no replica is attached to a Redis the test did not start as a process");
        try (Replica replica = Replica.of(context);
                Scenario scenario = new BinderScenario(context, "redis", BinderScenario.Mode.STREAM_BRIDGE, 0,
                        BinderScenario.Variant.REPLICATED)) {
            assertComplete(scenario.round(EVENTS));
        }
    }

    @Test
    void theSpringIntegrationPeerDeliversEveryEventOnce() throws Exception {
        try (Scenario scenario = new SpringIntegrationScenario(context)) {
            assertComplete(scenario.round(EVENTS));
        }
    }

    @Test
    void aBacklogAndWhatAKilledConsumerLeftAreDrainedCompletely() throws Exception {
        for (boolean abandoned : List.of(false, true)) {
            try (BacklogScenario scenario = new BacklogScenario(context, abandoned)) {
                assertComplete(scenario.round(EVENTS));
                assertThat(scenario.heapBefore()).startsWith("heap before");
            }
        }
    }

    @Test
    void unknownFlagsAndScenariosAreRefusedWithTheReason() {
        assertThatIllegalArgumentException().isThrownBy(() -> BenchmarkOptions.parse(new String[] { "--evnts=5" }))
                .withMessageContaining("Unknown flags [evnts]");
        assertThatIllegalArgumentException().isThrownBy(() -> BenchmarkOptions.parse(new String[] { "--scenarios=kafka" }))
                .withMessageContaining("Unknown scenario 'kafka'");
        assertThat(BenchmarkOptions.parse(new String[0]).scenarios()).isEqualTo(BenchmarkOptions.ALL);
    }

    private static void assertComplete(RoundResult round) {
        assertThat(round.lost()).isZero();
        assertThat(round.duplicates()).isZero();
        assertThat(round.latencyMicros().getTotalCount()).isEqualTo(EVENTS);
        assertThat(round.eventsPerSecond()).isPositive();
    }
}
