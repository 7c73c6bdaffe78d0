package io.flextime.events;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.lettuce.core.Range;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.api.sync.RedisCommands;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

import io.flextime.events.handlers.AuditTrail;
import io.flextime.events.handlers.OptimizationTracker;
import io.flextime.events.handlers.SystemHealthWatcher;
import io.flextime.events.publish.BatchResult;
import io.flextime.events.publish.EventRequest;
import io.flextime.events.publish.FlexTimeEventPublisher;
import io.flextime.events.publish.PublishResult;
import io.flextime.events.schema.FieldError;
import io.flextime.streams.monitor.StreamAdmin;
import io.flextime.streams.testing.RedisServerExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The FlexTime service end to end on a real Redis: publishing, routing, validation, and every shipped handler. */
class EventLayerApplicationTests {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private static final String PREFIX = "flextime:stream:";

    @RegisterExtension
    static final RedisServerExtension redisServer = new RedisServerExtension();

    private static FlexTimeTestApps support;

    private static ConfigurableApplicationContext app;

    private static FlexTimeEventPublisher publisher;

    @BeforeAll
    static void startApp() {
        support = new FlexTimeTestApps(redisServer.server());
        app = support.start();
        publisher = app.getBean(FlexTimeEventPublisher.class);
    }

    @AfterAll
    static void stopApp() {
        support.close();
    }

    @Test
    void publishedEventLandsInItsStreamWithTheRecordIdReported() {
        PublishResult result = publisher.publishScheduleCreated(Map.of("scheduleId", "s-" + UUID.randomUUID(),
                "sport", "Basketball", "season", "2025-26", "teams", List.of("kansas", "baylor")));

        assertThat(result.status()).isEqualTo(PublishResult.PUBLISHED);
        assertThat(result.stream()).isEqualTo("schedule-events");
        List<StreamMessage<String, String>> entries = redis().xrange(PREFIX + "schedule-events", Range.create(result.recordId(), result.recordId()));
        assertThat(entries).singleElement().satisfies(entry -> {
            assertThat(entry.getBody()).containsEntry("eventType", "schedule.created").containsEntry("eventId", result.eventId());
            assertThat(entry.getBody().get("payload")).contains("\"version\":\"1.0.0\"").contains("\"service\":\"flextime-event-functions\"");
        });
    }

    @Test
    void invalidEventIsRefusedWithEveryFailingPathAndNeverReachesRedis() {
        long before = streamLength("game-events");
        PublishResult result = publisher.publishGameScheduled(Map.of("gameId", "g-1", "homeTeam", 42, "extra", true));

        assertThat(result.status()).isEqualTo(PublishResult.REJECTED);
        assertThat(result.errors()).extracting(FieldError::path)
                .contains("$.data.scheduleId", "$.data.awayTeam", "$.data.startTime", "$.data.homeTeam");
        assertThat(result.errors()).anySatisfy(error -> assertThat(error.message()).contains("extra"));
        assertThat(streamLength("game-events")).isEqualTo(before);
    }

    @Test
    void unknownEventTypeIsRefusedClearly() {
        PublishResult result = publisher.publishEvent("weather.changed", Map.of());
        assertThat(result.status()).isEqualTo(PublishResult.REJECTED);
        assertThat(result.message()).contains("weather.changed").contains("first segment 'weather'");
    }

    @Test
    void batchPublishesTheValidEventsAndReportsEachOutcome() {
        BatchResult batch = publisher.publishBatch(List.of(
                EventRequest.of("game.scheduled", game("g-ok-1")),
                EventRequest.of("game.scheduled", Map.of("gameId", "broken")),
                EventRequest.of("game.scheduled", game("g-ok-2"))));

        assertThat(batch.published()).isEqualTo(2);
        assertThat(batch.results()).extracting(PublishResult::status)
                .containsExactly(PublishResult.PUBLISHED, PublishResult.REJECTED, PublishResult.PUBLISHED);
    }

    @Test
    void dataThatIsNotAnObjectIsRefusedWithoutStoppingTheBatch() {
        BatchResult batch = publisher.publishBatch(java.util.Arrays.asList(
                EventRequest.of("game.scheduled", List.of("not", "an", "object")), null,
                EventRequest.of("game.scheduled", game("g-after-bad"))));

        assertThat(batch.results()).extracting(PublishResult::status)
                .containsExactly(PublishResult.REJECTED, PublishResult.REJECTED, PublishResult.PUBLISHED);
    }

    @Test
    void rescheduledAndCancelledGamesNotifyBothTeamsAndEntriesCarryTheirOwnTypeAndId() {
        Map<String, Object> moved = new java.util.HashMap<>(game("g-moved"));
        moved.put("previousStartTime", moved.remove("startTime"));
        moved.put("newStartTime", "2026-01-12T19:00:00Z");
        PublishResult rescheduled = publisher.publishGameRescheduled(moved);
        PublishResult cancelled = publisher.publishGameCancelled(Map.of("gameId", "g-off", "scheduleId", "s-1",
                "homeTeam", "ucf", "awayTeam", "byu", "reason", "weather"));

        for (PublishResult source : List.of(rescheduled, cancelled)) {
            StreamMessage<String, String> notification = await().atMost(TIMEOUT).until(
                    () -> findInStream("notification-events", source.eventId()), found -> found != null);
            assertThat(notification.getBody()).containsEntry("eventType", "notification.requested");
            assertThat(notification.getBody().get("eventId")).isNotEqualTo(source.eventId());
            assertThat(notification.getBody().get("payload")).contains("\"eventId\":\"" + notification.getBody().get("eventId") + "\"");
        }
        assertThat(findInStream("notification-events", cancelled.eventId()).getBody().get("payload"))
                .contains("\"recipients\":[\"ucf\",\"byu\"]");
    }

    @Test
    void aRedeliveredSourceYieldsTheSameNotificationWhichDownstreamHandlersTakeOnce() {
        PublishResult published = publisher.publishSchedulePublished(Map.of("scheduleId", "s-twice",
                "teams", List.of("iowa-state")));
        StreamMessage<String, String> first = await().atMost(TIMEOUT).until(
                () -> findInStream("notification-events", published.eventId()), found -> found != null);

        // The source entry again, as a redelivery brings it.
        StreamMessage<String, String> source = redis().xrange(PREFIX + "schedule-events",
                Range.create(published.recordId(), published.recordId())).get(0);
        redis().xadd(PREFIX + "schedule-events", source.getBody());

        await().atMost(TIMEOUT).until(() -> redis().xrange(PREFIX + "notification-events", Range.create("-", "+")).stream()
                .filter(entry -> entry.getBody().get("payload").contains(published.eventId())).count() == 2);
        String notificationId = first.getBody().get("eventId");
        assertThat(redis().xrange(PREFIX + "notification-events", Range.create("-", "+")).stream()
                .filter(entry -> entry.getBody().get("payload").contains(published.eventId())))
                .allSatisfy(entry -> assertThat(entry.getBody()).containsEntry("eventId", notificationId));
        AuditTrail audit = app.getBean(AuditTrail.class);
        await().atMost(TIMEOUT).until(() -> caughtUp("notification-events", "flextime-workers-audit"));
        assertThat(audit.recent(10_000).stream().filter(line -> line.contains(notificationId))).hasSize(1);
    }

    @Test
    void aReplayedStartNeverMovesAFinishedRunBackToRunning() {
        String id = "opt-" + UUID.randomUUID();
        publisher.publishOptimizationStarted(id, "s-1", "tabu", Map.of());
        publisher.publishOptimizationFailed(Map.of("optimizationId", id, "error", "infeasible"));
        publisher.publishOptimizationStarted(id, "s-1", "tabu", Map.of());
        PublishResult last = publisher.publishOptimizationProgress(Map.of("optimizationId", id, "progress", 10));

        OptimizationTracker tracker = app.getBean(OptimizationTracker.class);
        AuditTrail audit = app.getBean(AuditTrail.class);
        await().atMost(TIMEOUT).until(() -> audit.recent(10_000).stream().anyMatch(line -> line.contains(last.eventId())));
        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(tracker.find(id)).hasValueSatisfying(run ->
                assertThat(run).containsEntry("status", "failed").containsEntry("error", "infeasible")));
    }

    /**
     * A dead letter replayed after a fix arrives after newer events: it is an event never handled (a new id to the
     * duplicate guard) with an old timestamp, and must not undo what the newer events did.
     */
    @Test
    void anOlderEventArrivingLateChangesNoRunState() {
        String id = "opt-" + UUID.randomUUID();
        PublishResult failed = publisher.publishOptimizationFailed(Map.of("optimizationId", "opt-" + UUID.randomUUID(),
                "error", "infeasible"));
        publisher.publishOptimizationStarted(id, "s-1", "tabu", Map.of());
        publisher.publishOptimizationCompleted(Map.of("optimizationId", id, "scheduleId", "s-1", "finalScore", 0.9));
        OptimizationTracker tracker = app.getBean(OptimizationTracker.class);
        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(tracker.find(id)).hasValueSatisfying(run ->
                assertThat(run).containsEntry("status", "completed")));

        arriveLate("optimization-events", failed, Map.of("optimizationId", id, "error", "infeasible"));

        await().atMost(TIMEOUT).until(() -> caughtUp("optimization-events", "flextime-workers-optimization-tracker"));
        assertThat(tracker.find(id)).hasValueSatisfying(run -> assertThat(run).containsEntry("status", "completed")
                .containsEntry("finalScore", "0.9").doesNotContainKeys("error", "eventTimeMicros"));
    }

    /** Nor does it raise the failure's alarm in the log again. */
    @Test
    @ExtendWith(OutputCaptureExtension.class)
    void anOlderHealthEventArrivingLateDoesNotMarkARecoveredInstanceUnhealthyAgain(CapturedOutput output) {
        PublishResult failed = publisher.publishSystemHealthFailed(Map.of("service", "flextime-late", "instance", "api-1",
                "check", "database", "error", "connection refused"));
        publisher.publishSystemHealthCheck(Map.of("service", "flextime-late", "instance", "api-1", "status", "ok"));
        SystemHealthWatcher watcher = app.getBean(SystemHealthWatcher.class);
        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(watcher.services().get("flextime-late/api-1"))
                .containsEntry("status", "up"));

        arriveLate("system-events", failed, null);

        await().atMost(TIMEOUT).until(() -> caughtUp("system-events", "flextime-workers-system-health"));
        assertThat(watcher.services().get("flextime-late/api-1")).containsEntry("status", "up");
        assertThat(output.getOut().split("Health check 'database' failed for flextime-late/api-1", -1)).hasSize(2);
    }

    /**
     * Adds {@code original}'s entry to {@code stream} again as an event never seen before (a new id), with its old
     * timestamp and, when given, other data: what a dead-letter replay brings.
     */
    @SuppressWarnings("unchecked")
    private static void arriveLate(String stream, PublishResult original, Map<String, Object> data) {
        StreamMessage<String, String> entry = redis().xrange(PREFIX + stream,
                Range.create(original.recordId(), original.recordId())).get(0);
        JsonMapper json = JsonMapper.builder().build();
        Map<String, Object> event = json.readValue(entry.getBody().get("payload"), Map.class);
        event.put("eventId", UUID.randomUUID().toString());
        if (data != null) {
            event.put("data", data);
        }
        Map<String, String> body = new java.util.HashMap<>(entry.getBody());
        body.put("payload", json.writeValueAsString(event));
        redis().xadd(PREFIX + stream, body);
    }

    @Test
    void publishedScheduleNotifiesItsTeamsWithCorrelationAndCausation() {
        PublishResult published = publisher.publishSchedulePublished(Map.of("scheduleId", "s-notify",
                "teams", List.of("kansas", "tcu")));

        StreamMessage<String, String> notification = await().atMost(TIMEOUT).until(
                () -> findInStream("notification-events", published.eventId()), found -> found != null);
        @SuppressWarnings("unchecked")
        Map<String, Object> event = JsonMapper.builder().build().readValue(notification.getBody().get("payload"), Map.class);
        assertThat(event.get("eventType")).isEqualTo("notification.requested");
        assertThat(event.get("causationId")).isEqualTo(published.eventId());
        assertThat(event.get("correlationId")).isEqualTo(published.eventId());
        @SuppressWarnings("unchecked")
        Map<String, Object> data = (Map<String, Object>) event.get("data");
        assertThat(data).containsEntry("recipients", List.of("kansas", "tcu"))
                .containsEntry("relatedEventType", "schedule.published");
    }

    @Test
    void optimizationTrackerKeepsEachRunsProgressAndResult() {
        String id = "opt-" + UUID.randomUUID();
        publisher.publishOptimizationStarted(id, "s-1", "simulated-annealing", Map.of("iterations", 1000));
        publisher.publishOptimizationProgress(Map.of("optimizationId", id, "progress", 50));
        publisher.publishOptimizationCompleted(Map.of("optimizationId", id, "scheduleId", "s-1", "finalScore", 0.93));
        publisher.publishOptimizationProgress(Map.of("optimizationId", id, "progress", 75));

        OptimizationTracker tracker = app.getBean(OptimizationTracker.class);
        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(tracker.find(id)).hasValueSatisfying(run ->
                assertThat(run).containsEntry("status", "completed").containsEntry("progress", "100")
                        .containsEntry("finalScore", "0.93").containsEntry("algorithm", "simulated-annealing")));
        assertThat(tracker.find("opt-unknown")).isEmpty();
        // Kept for flextime.state-retention (7 days) after its last event, not for ever.
        assertThat(redis().pttl("flextime:optimization:" + id)).isBetween(Duration.ofDays(6).toMillis(), Duration.ofDays(7).toMillis());
    }

    @Test
    void auditTrailRecordsEveryEventOnceEvenWhenRedelivered() {
        PublishResult result = publisher.publishSystemHealthCheck(Map.of("test", true));
        AuditTrail audit = app.getBean(AuditTrail.class);
        await().atMost(TIMEOUT).until(() -> audit.recent(1000).stream().anyMatch(line -> line.contains(result.eventId())));

        // The same entry again, as a redelivery would bring it: same eventId.
        StreamMessage<String, String> original = redis().xrange(PREFIX + "system-events",
                Range.create(result.recordId(), result.recordId())).get(0);
        redis().xadd(PREFIX + "system-events", original.getBody());
        MeterRegistry meters = app.getBean(MeterRegistry.class);
        await().atMost(TIMEOUT).until(() -> meters.counter("flextime.events.duplicates", "handler", "auditTrail").count() >= 1);
        assertThat(audit.recent(1000).stream().filter(line -> line.contains(result.eventId()))).hasSize(1);
    }

    @Test
    void systemHealthWatcherMarksAFailedServiceUnhealthy() {
        publisher.publishSystemHealthFailed(Map.of("service", "flextime-backend", "instance", "api-7", "check", "database",
                "error", "connection refused", "severity", "critical"));

        SystemHealthWatcher watcher = app.getBean(SystemHealthWatcher.class);
        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(watcher.services().get("flextime-backend/api-7"))
                .containsEntry("status", "unhealthy").containsEntry("check", "database"));
    }

    /**
     * A check about another service that names no instance is filed under instance '-': the instance in its source
     * is the event service that relayed it, and a later check relayed by another instance must land on the same key.
     */
    @Test
    void aHealthEventAboutAnotherServiceWithoutItsInstanceIsNotFiledUnderTheRelayingInstance() {
        publisher.publishSystemHealthFailed(Map.of("service", "flextime-scheduler", "check", "queue", "error", "full"));
        publisher.publishSystemHealthCheck(Map.of("service", "flextime-scheduler", "status", "degraded"));

        SystemHealthWatcher watcher = app.getBean(SystemHealthWatcher.class);
        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(watcher.services().get("flextime-scheduler/-"))
                .containsEntry("status", "degraded"));
        assertThat(watcher.services().keySet()).filteredOn(name -> name.startsWith("flextime-scheduler/"))
                .containsExactly("flextime-scheduler/-");
    }

    @Test
    void eventsOfOtherTypesOnAStreamAreSkippedAndCounted() {
        publisher.publishScheduleCreated(Map.of("scheduleId", "s-skip", "sport", "Football"));
        MeterRegistry meters = app.getBean(MeterRegistry.class);
        await().atMost(TIMEOUT).until(() -> meters.counter("flextime.events.skipped", "handler", "notificationPlanner").count() >= 1);
    }

    @Test
    void invalidEventArrivingOnAStreamGoesToTheDeadLetterStreamNotTheHandler() {
        String eventId = UUID.randomUUID().toString();
        String invalid = "{\"eventId\":\"" + eventId + "\",\"eventType\":\"optimization.progress\",\"version\":\"1.0.0\","
                + "\"timestamp\":\"2026-01-01T00:00:00Z\",\"source\":{\"service\":\"rogue\"},"
                + "\"data\":{\"optimizationId\":\"opt-rogue\",\"progress\":250}}";
        redis().xadd(PREFIX + "optimization-events", Map.of("payload", invalid, "contentType", "application/json"));

        String dlq = "{" + PREFIX + "optimization-events}.flextime-workers-optimization-tracker.dlq";
        await().atMost(TIMEOUT).until(() -> redis().exists(dlq) == 1 && redis().xlen(dlq) >= 1);
        assertThat(redis().xrange(dlq, Range.create("-", "+"))).anySatisfy(letter ->
                assertThat(letter.getBody().get("dlq_exceptionMessage")).contains("$.data.progress"));
        assertThat(app.getBean(OptimizationTracker.class).find("opt-rogue")).isEmpty();

        // The replay the admin API uses is available to the application as a bean.
        StreamAdmin.ReplayResult replay = app.getBean(StreamAdmin.class).replayDeadLetters(dlq, 10, PREFIX);
        assertThat(replay.replayed()).extracting(StreamAdmin.Replayed::stream).contains(PREFIX + "optimization-events");
    }

    private static Map<String, Object> game(String id) {
        return Map.of("gameId", id, "scheduleId", "s-1", "homeTeam", "kansas", "awayTeam", "baylor",
                "startTime", "2026-01-10T19:00:00Z");
    }

    private static StreamMessage<String, String> findInStream(String stream, String text) {
        return redis().xrange(PREFIX + stream, Range.create("-", "+")).stream()
                .filter(entry -> entry.getBody().getOrDefault("payload", "").contains(text)).findFirst().orElse(null);
    }

    /** The group has read everything and acknowledged all of it. */
    private static boolean caughtUp(String stream, String group) {
        String last = redis().xinfoStream(PREFIX + stream).get(redis().xinfoStream(PREFIX + stream).indexOf("last-generated-id") + 1).toString();
        return redis().xinfoGroups(PREFIX + stream).stream().map(info -> (List<?>) info)
                .filter(info -> group.equals(info.get(info.indexOf("name") + 1)))
                .anyMatch(info -> last.equals(info.get(info.indexOf("last-delivered-id") + 1))
                        && ((Number) info.get(info.indexOf("pending") + 1)).longValue() == 0);
    }

    private static long streamLength(String stream) {
        return redis().exists(PREFIX + stream) == 0 ? 0 : redis().xlen(PREFIX + stream);
    }

    private static RedisCommands<String, String> redis() {
        return support.redis();
    }
}
