package io.flextime.events.demo;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.event.EventListener;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;
import org.springframework.stereotype.Component;

import io.flextime.events.config.FlexTimeProperties;
import io.flextime.events.publish.EventRequest;
import io.flextime.events.publish.FlexTimeEventPublisher;

/**
 * Publishes a realistic mix of FlexTime events at {@code flextime.demo.rate-per-second}, so the monitor and
 * the handlers have something real to show: schedules are created, filled with games and published; games
 * move or are cancelled; optimizations start, progress and finish (or fail); COMPASS trains and predicts;
 * constraints break and get fixed; health checks run. Off unless {@code flextime.demo.enabled=true}
 * ({@code ./bin/run-flextime.sh --demo}).
 */
@Component
@ConditionalOnProperty(name = "flextime.demo.enabled", havingValue = "true")
public class DemoTrafficGenerator implements SmartLifecycle {

    private static final Log logger = LogFactory.getLog(DemoTrafficGenerator.class);

    private static final List<String> TEAMS = List.of("kansas", "baylor", "texas-tech", "iowa-state", "tcu", "ucf",
            "houston", "cincinnati", "byu", "west-virginia", "oklahoma-state", "kansas-state");

    private static final List<String> SPORTS = List.of("Basketball", "Football", "Volleyball", "Baseball");

    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);

    private final FlexTimeEventPublisher publisher;

    private final FlexTimeProperties properties;

    private final Clock clock;

    private final List<EventRequest> queue = new ArrayList<>();

    private ScheduledExecutorService executor;

    private int sequence;

    public DemoTrafficGenerator(FlexTimeEventPublisher publisher, FlexTimeProperties properties, Clock clock) {
        this.publisher = publisher;
        this.properties = properties;
        this.clock = clock;
    }

    @Override
    public void start() {
        long periodMicros = (long) (1_000_000 / Math.max(0.1, this.properties.getDemo().getRatePerSecond()));
        this.executor = Executors.newSingleThreadScheduledExecutor(new CustomizableThreadFactory("flextime-demo-"));
        this.executor.scheduleAtFixedRate(this::publishNext, periodMicros, periodMicros, TimeUnit.MICROSECONDS);
        logger.info("Demo traffic: about " + this.properties.getDemo().getRatePerSecond() + " events/s");
    }

    @EventListener(ApplicationReadyEvent.class)
    public void announce() {
        logger.info("Demo traffic generator is on (flextime.demo.enabled=true)");
    }

    private void publishNext() {
        try {
            if (this.queue.isEmpty()) {
                this.queue.addAll(nextStory());
            }
            EventRequest request = this.queue.remove(0);
            var result = this.publisher.publish(request);
            if (!result.isPublished()) {
                logger.warn("Demo event not published: " + result.message() + " " + result.errors());
            }
        }
        catch (RuntimeException ex) {
            logger.warn("Demo traffic hiccup: " + ex.getMessage());
        }
    }

    /** A short, coherent sequence of events: one of the stories FlexTime sees every day. */
    private List<EventRequest> nextStory() {
        int n = ++this.sequence;
        ThreadLocalRandom random = ThreadLocalRandom.current();
        String scheduleId = "schedule-" + n;
        String sport = SPORTS.get(random.nextInt(SPORTS.size()));
        List<String> teams = new ArrayList<>(TEAMS);
        java.util.Collections.shuffle(teams);
        List<EventRequest> story = new ArrayList<>();
        switch (random.nextInt(5)) {
            case 0 -> {
                story.add(event("schedule.created", Map.of("scheduleId", scheduleId, "sport", sport, "season", "2026-27",
                        "conference", "Big 12", "status", "draft", "createdBy", "user-" + random.nextInt(50),
                        "teams", teams.subList(0, 6))));
                for (int game = 0; game < 3; game++) {
                    story.add(event("game.scheduled", game(scheduleId + "-g" + game, scheduleId, teams, game)));
                }
                story.add(event("schedule.published", Map.of("scheduleId", scheduleId, "publishedBy", "user-1",
                        "publishedAt", now().toString(), "teams", teams.subList(0, 6))));
            }
            case 1 -> {
                String optimizationId = "opt-" + n;
                story.add(event("optimization.started", Map.of("optimizationId", optimizationId, "scheduleId", scheduleId,
                        "algorithm", "simulated-annealing", "parameters", Map.of("iterations", 1000, "temperature", 100))));
                for (int step = 1; step <= 3; step++) {
                    story.add(event("optimization.progress", Map.of("optimizationId", optimizationId, "progress", step * 25,
                            "iteration", step * 250, "currentScore", 0.6 + step * 0.1)));
                }
                story.add(random.nextInt(6) == 0
                        ? event("optimization.failed", Map.of("optimizationId", optimizationId, "scheduleId", scheduleId,
                                "error", "no feasible schedule under current constraints"))
                        : event("optimization.completed", Map.of("optimizationId", optimizationId, "scheduleId", scheduleId,
                                "finalScore", 0.95, "iterations", 1000, "durationMs", 40_000 + random.nextInt(20_000))));
            }
            case 2 -> {
                Map<String, Object> moved = new LinkedHashMap<>(game("g-" + n, scheduleId, teams, 0));
                moved.put("previousStartTime", moved.remove("startTime"));
                moved.put("newStartTime", now().plus(8, ChronoUnit.DAYS).toString());
                moved.put("reason", "venue conflict");
                story.add(event("game.rescheduled", moved));
                story.add(event("constraint.violated", Map.of("constraintId", "c-" + n, "scheduleId", scheduleId,
                        "constraintType", "rest-days", "severity", "soft", "gameIds", List.of("g-" + n))));
                story.add(event("constraint.resolved", Map.of("constraintId", "c-" + n, "scheduleId", scheduleId,
                        "resolution", "moved a game", "resolvedBy", "optimizer")));
            }
            case 3 -> {
                String modelId = "compass-" + (n % 3);
                story.add(event("compass.prediction.requested", Map.of("predictionId", "p-" + n, "modelId", modelId,
                        "input", Map.of("homeTeam", teams.get(0), "awayTeam", teams.get(1)))));
                story.add(event("compass.prediction.completed", Map.of("predictionId", "p-" + n, "modelId", modelId,
                        "prediction", Map.of("homeWinProbability", random.nextDouble()), "confidence", 0.8)));
                if (n % 10 == 0) {
                    story.add(event("compass.training.started", Map.of("modelId", modelId, "modelType", "gradient-boosting")));
                    story.add(event("compass.training.completed", Map.of("modelId", modelId, "metrics", Map.of("accuracy", 0.9))));
                }
            }
            default -> {
                story.add(event("system.health.check", Map.of("service", "flextime-backend", "status", "ok")));
                if (n % 7 == 0) {
                    story.add(event("game.cancelled", Map.of("gameId", "g-" + n, "scheduleId", scheduleId,
                            "homeTeam", teams.get(0), "awayTeam", teams.get(1), "reason", "weather")));
                }
            }
        }
        return story;
    }

    private Map<String, Object> game(String gameId, String scheduleId, List<String> teams, int index) {
        Map<String, Object> game = new LinkedHashMap<>();
        game.put("gameId", gameId);
        game.put("scheduleId", scheduleId);
        game.put("homeTeam", teams.get(index * 2));
        game.put("awayTeam", teams.get(index * 2 + 1));
        game.put("startTime", now().plus(7 + index, ChronoUnit.DAYS).truncatedTo(ChronoUnit.HOURS).toString());
        return game;
    }

    private Instant now() {
        return Instant.now(this.clock);
    }

    private static EventRequest event(String type, Map<String, Object> data) {
        return EventRequest.of(type, data);
    }

    /**
     * Lets the event being sent finish rather than interrupting it: an interrupted send may still be stored by Redis
     * while the generator reports it failed. Only a send stuck past {@link #STOP_TIMEOUT} is interrupted.
     */
    @Override
    public void stop() {
        if (this.executor == null) {
            return;
        }
        this.executor.shutdown();
        try {
            if (!this.executor.awaitTermination(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                logger.warn("Demo traffic: the event being sent did not finish within " + STOP_TIMEOUT + "; interrupted");
                this.executor.shutdownNow();
            }
        }
        catch (InterruptedException ex) {
            this.executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return this.executor != null && !this.executor.isShutdown();
    }
}
