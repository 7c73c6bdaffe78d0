package io.flextime.benchmarks;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.lettuce.core.RedisClient;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanIterator;
import io.lettuce.core.api.StatefulRedisConnection;

import io.flextime.streams.monitor.SlotKeys;
import io.flextime.streams.testing.RedisServer;

/**
 * Runs the benchmark scenarios against one local Redis ({@code REDIS_URL}, else a {@code redis-server} of its
 * own), prints the table and the target ratios, and writes the figures to {@code benchmarks/results/}.
 * See the README's Performance section for the flags.
 */
public final class BenchmarkMain {

    private BenchmarkMain() {
    }

    public static void main(String[] args) {
        try {
            runAll(args);
        }
        catch (Exception ex) {
            System.err.println("The benchmark failed: " + ex);
            ex.printStackTrace();
            System.exit(1);
        }
        // Spring's and Lettuce's non-daemon threads must not keep the JVM alive after the report.
        System.exit(0);
    }

    private static void runAll(String[] args) throws Exception {
        BenchmarkOptions options;
        try {
            options = BenchmarkOptions.parse(args);
        }
        catch (IllegalArgumentException ex) {
            System.err.println(ex.getMessage());
            System.exit(2);
            return;
        }
        try (RedisServer redis = RedisServer.start()) {
            // Only a redis-server process of its own can be stopped and restarted, or given a replica.
            BenchmarkContext context = new BenchmarkContext(options, redis.uri().toString(), redis.supportsFaults());
            ResultsReport report = new ResultsReport();
            List<TakingTurns.Contender> contenders = new ArrayList<>();
            List<ScenarioResult> skipped = new ArrayList<>();
            for (String scenario : options.scenarios()) {
                throughput(scenario, context, skipped).ifPresent(contenders::add);
            }
            TakingTurns.measure(contenders, options, report);
            skipped.forEach(report::add);
            for (String scenario : options.scenarios()) {
                runAtItsOwnPace(scenario, context, report);
            }
            Map<String, Object> machine = machine(context);
            report.print(machine);
            Path file = report.writeJson(Path.of(System.getProperty("benchmarks.results", "benchmarks/results")), machine,
                    options);
            System.out.println();
            System.out.println("Written to " + file.toAbsolutePath());
            deleteKeys(context);
        }
    }

    /**
     * The scenarios measured in rounds of {@code --events} as fast as they go, which take turns
     * ({@link TakingTurns}); empty for the others, and for Rabbit when no broker answers (noted in {@code skipped}).
     */
    private static Optional<TakingTurns.Contender> throughput(String scenario, BenchmarkContext context,
            List<ScenarioResult> skipped) {
        TakingTurns.Contender contender = switch (scenario) {
            case "limit" -> new TakingTurns.Contender("limit", "raw Lettuce: pipelined XADD, XREADGROUP COUNT n, batched XACK",
                    () -> new RawLettuceScenario(context, 0, false));
            case "limit-parsed" -> new TakingTurns.Contender("limit-parsed", "limit, the consumer parsing each envelope (Jackson)",
                    () -> new RawLettuceScenario(context, 0, true));
            case "binder" -> new TakingTurns.Contender("binder", "StreamBridge -> Redis -> Consumer<FlexTimeEvent>",
                    () -> new BinderScenario(context, "redis", BinderScenario.Mode.STREAM_BRIDGE, 0));
            case "binder-observed" -> new TakingTurns.Contender("binder-observed",
                    "binder, with Actuator's per-message function and channel observations",
                    () -> new BinderScenario(context, "redis", BinderScenario.Mode.STREAM_BRIDGE, 0,
                            BinderScenario.Variant.OBSERVED));
            case "binder-native" -> new TakingTurns.Contender("binder-native",
                    "binder, the JSON written and read by the binder (native encoding and decoding)",
                    () -> new BinderScenario(context, "redis", BinderScenario.Mode.STREAM_BRIDGE, 0,
                            BinderScenario.Variant.NATIVE));
            case "binder-supplier" -> new TakingTurns.Contender("binder-supplier", "polled Supplier -> Redis -> Consumer",
                    () -> new BinderScenario(context, "redis", BinderScenario.Mode.SUPPLIER, 0));
            case "binder-batch" -> new TakingTurns.Contender("binder-batch",
                    "StreamBridge -> Redis -> Consumer<List<FlexTimeEvent>> (batch mode)",
                    () -> new BinderScenario(context, "redis", BinderScenario.Mode.BATCH, 0));
            case "binder-pipeline" -> new TakingTurns.Contender("binder-pipeline", "StreamBridge -> Function -> Consumer",
                    () -> new BinderScenario(context, "redis", BinderScenario.Mode.PIPELINE, 0));
            case "spring-integration" -> new TakingTurns.Contender("spring-integration",
                    "Spring Integration reactive stream adapters, manual ack", () -> new SpringIntegrationScenario(context));
            case "rabbit" -> {
                if (!answers("localhost", 5672)) {
                    skipped.add(ScenarioResult.skipped("rabbit", "the Rabbit binder", "no RabbitMQ answers on localhost:5672"));
                    System.out.println("rabbit: skipped, no RabbitMQ answers on localhost:5672");
                    yield null;
                }
                yield new TakingTurns.Contender("rabbit", "StreamBridge -> RabbitMQ -> Consumer<FlexTimeEvent>",
                        () -> new BinderScenario(context, "rabbit", BinderScenario.Mode.STREAM_BRIDGE, 0));
            }
            default -> null;
        };
        return Optional.ofNullable(contender);
    }

    /** The scenarios with a duration or a size of their own, each measured on its own after the others. */
    private static void runAtItsOwnPace(String scenario, BenchmarkContext context, ResultsReport report) throws Exception {
        BenchmarkOptions options = context.options();
        switch (scenario) {
            case "steady-rate" -> {
                int events = options.rate() * (int) options.steadyFor().toSeconds();
                // One measured run of the whole duration, after 10 s at the same rate for the JIT (a cold start
                // would otherwise be most of the p99).
                BenchmarkOptions once = options.withRounds(1, 1);
                int warmup = options.rate() * 10;
                measure(report, "steady-raw", "raw Lettuce at a fixed rate", () -> new RawLettuceScenario(context,
                        options.rate(), false), events, warmup, once);
                measure(report, "steady-binder", "the binder at a fixed rate", () -> new BinderScenario(context, "redis",
                        BinderScenario.Mode.STREAM_BRIDGE, options.rate()), events, warmup, once);
                report.note("steady-raw", options.rate() + "/s for " + options.steadyFor().toSeconds() + " s");
                report.note("steady-binder", options.rate() + "/s for " + options.steadyFor().toSeconds() + " s");
            }
            case "binder-replicated" -> {
                if (!context.ownRedisProcess()) {
                    report.add(ScenarioResult.skipped("binder-replicated", "the binder waiting for a replica",
                            "a replica is only attached to a redis-server process the benchmark started itself"));
                    System.out.println("binder-replicated: skipped, Redis is REDIS_URL or a container");
                    return;
                }
                // The replica takes CPU for every write, so it is attached only for this pair, which takes turns
                // on its own: the ratio is what waiting for it costs, not what it costs to have one.
                try (Replica replica = Replica.of(context)) {
                    TakingTurns.measure(List.of(
                            new TakingTurns.Contender("binder-with-replica", "binder, a replica attached, not waited for",
                                    () -> new BinderScenario(context, "redis", BinderScenario.Mode.STREAM_BRIDGE, 0,
                                            BinderScenario.Variant.REPLICA_ATTACHED)),
                            new TakingTurns.Contender("binder-replicated",
                                    "binder, every send confirmed by the replica (wait-replicas: 1)",
                                    () -> new BinderScenario(context, "redis", BinderScenario.Mode.STREAM_BRIDGE, 0,
                                            BinderScenario.Variant.REPLICATED))), options, report);
                }
            }
            case "recovery" -> {
                BacklogScenario backlog = new BacklogScenario(context, false);
                measure(report, "backlog", "drain a backlog never delivered (fresh reads)", () -> backlog,
                        options.recoveryEvents(), options.withRounds(1, 0));
                report.note("backlog", options.recoveryEvents() + " entries; " + backlog.heapBefore());
                measure(report, "recovery", "claim and finish entries a killed consumer left pending",
                        () -> new BacklogScenario(context, true), options.recoveryEvents(), options.withRounds(1, 0));
                report.note("recovery", options.recoveryEvents() + " entries; includes claim-min-idle of 1 s");
            }
            default -> {
                // a throughput scenario, measured already
            }
        }
    }

    private static void measure(ResultsReport report, String name, String description, ScenarioFactory factory,
            int events, BenchmarkOptions options) throws Exception {
        measure(report, name, description, factory, events, events, options);
    }

    private static void measure(ResultsReport report, String name, String description, ScenarioFactory factory,
            int events, int warmupEvents, BenchmarkOptions options) throws Exception {
        System.out.println(name + ": " + description + " (" + options.warmups() + " warm-up of " + warmupEvents + ", "
                + options.rounds() + " rounds of " + events + " events)");
        try (Scenario scenario = factory.create()) {
            List<RoundResult> warmups = new ArrayList<>();
            for (int i = 0; i < options.warmups(); i++) {
                warmups.add(scenario.round(warmupEvents));
            }
            List<RoundResult> rounds = new ArrayList<>();
            for (int i = 0; i < options.rounds(); i++) {
                RoundResult round = scenario.round(events);
                System.out.println("  round " + (i + 1) + ": " + round.summary());
                rounds.add(round);
            }
            report.add(ScenarioResult.of(name, description, rounds, warmups));
        }
    }

    private static boolean answers(String host, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 500);
            return true;
        }
        catch (IOException ex) {
            return false;
        }
    }

    private static Map<String, Object> machine(BenchmarkContext context) {
        Map<String, Object> machine = new LinkedHashMap<>();
        machine.put("cores", Runtime.getRuntime().availableProcessors());
        machine.put("maxHeapMb", Runtime.getRuntime().maxMemory() / 1048576);
        machine.put("java", System.getProperty("java.version"));
        machine.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
        RedisClient client = RedisClient.create(context.redisUri());
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            String info = connection.sync().info("server");
            machine.put("redis", info.lines().filter(line -> line.startsWith("redis_version:")).findFirst()
                    .map(line -> line.substring("redis_version:".length())).orElse("unknown"));
        }
        finally {
            client.shutdown();
        }
        machine.put("payloadBytes", context.payloads().json(context.payloads().event(0, 0, 0)).length);
        return machine;
    }

    /** Leaves nothing behind on a Redis the benchmark does not own ({@code REDIS_URL}). */
    private static void deleteKeys(BenchmarkContext context) {
        RedisClient client = RedisClient.create(context.redisUri());
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            ScanIterator.scan(connection.sync(), ScanArgs.Builder.matches(SlotKeys.scanPattern(context.prefix())).limit(1000))
                    .forEachRemaining(key -> {
                        if (SlotKeys.isUnder(context.prefix(), key)) {
                            connection.sync().del(key);
                        }
                    });
        }
        finally {
            client.shutdown();
        }
    }

}
