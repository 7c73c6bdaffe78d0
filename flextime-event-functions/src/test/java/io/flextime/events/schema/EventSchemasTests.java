package io.flextime.events.schema;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Every schema in {@code schemas/events/} accepts its own example and refuses the typical mistakes; the
 * envelope refuses a bad priority; the brief's examples validate.
 */
class EventSchemasTests {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static final EventSchemas SCHEMAS = new EventSchemas(JSON);

    static Stream<String> eventTypes() {
        return SCHEMAS.types().keySet().stream();
    }

    /**
     * Our {@code x-version} is known (every schema here loads); a keyword nobody knows, at the top or nested, fails
     * the load (so the service's start) instead of checking nothing.
     */
    @Test
    void aSchemaWithAnUnknownKeywordIsRefusedWhenLoadedAndXVersionIsKnown() {
        JsonNode typo = JSON.readTree("{\"$schema\": \"https://json-schema.org/draft/2020-12/schema\", \"x-version\": \"1.0.0\","
                + " \"type\": \"object\", \"requird\": [\"id\"]}");
        JsonNode nestedTypo = JSON.readTree("{\"$schema\": \"https://json-schema.org/draft/2020-12/schema\", \"type\": \"object\","
                + " \"properties\": {\"id\": {\"type\": \"string\", \"minLenght\": 1}}}");

        assertThatThrownBy(() -> EventSchemas.loaded(EventSchemas.schemaRegistry(), typo)).hasMessageContaining("requird");
        assertThatThrownBy(() -> EventSchemas.loaded(EventSchemas.schemaRegistry(), nestedTypo)).hasMessageContaining("minLenght");
        assertThat(EventSchemas.loaded(EventSchemas.schemaRegistry(), JSON.readTree("{\"x-version\": \"1.0.0\", \"type\": \"object\"}"))
                .validate(JSON.readTree("{}"))).isEmpty();
    }

    @Test
    void everyBriefEventTypeAndTheImpliedOnesHaveASchema() {
        assertThat(SCHEMAS.types().keySet()).contains("schedule.created", "schedule.updated", "schedule.published",
                "schedule.deleted", "game.scheduled", "game.rescheduled", "game.cancelled", "optimization.started",
                "optimization.progress", "optimization.completed", "optimization.failed", "compass.training.started",
                "compass.training.completed", "compass.prediction.requested", "compass.prediction.completed",
                "system.service.started", "system.service.stopped", "system.health.failed", "system.health.check",
                "constraint.violated", "constraint.resolved", "notification.requested", "notification.sent",
                "notification.failed");
        assertThat(SCHEMAS.types().values()).allSatisfy(info -> assertThat(info.version()).matches("\\d+\\.\\d+\\.\\d+"));
    }

    @ParameterizedTest
    @MethodSource("eventTypes")
    void schemaAcceptsItsExample(String type) {
        assertThat(SCHEMAS.validate(event(type, example(type)))).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("eventTypes")
    void schemaRefusesAMissingRequiredField(String type) {
        JsonNode required = SCHEMAS.type(type).schema().path("required");
        if (required.isEmpty()) {
            return;
        }
        String field = required.get(0).asString();
        Map<String, Object> data = example(type);
        data.remove(field);
        assertThat(SCHEMAS.validate(event(type, data))).extracting(FieldError::path).contains("$.data." + field);
    }

    @ParameterizedTest
    @MethodSource("eventTypes")
    void schemaRefusesAWrongTypeAndAnExtraField(String type) {
        Map<String, Object> data = example(type);
        String stringField = data.entrySet().stream().filter(e -> e.getValue() instanceof String).map(Map.Entry::getKey)
                .findFirst().orElse(null);
        data.put("notInTheSchema", "x");
        if (stringField != null) {
            data.put(stringField, 12345);
        }
        List<FieldError> errors = SCHEMAS.validate(event(type, data));
        assertThat(errors).extracting(FieldError::path).contains("$.data");
        assertThat(errors).anySatisfy(error -> assertThat(error.message()).contains("notInTheSchema"));
        if (stringField != null) {
            assertThat(errors).extracting(FieldError::path).contains("$.data." + stringField);
        }
    }

    @Test
    void envelopeRefusesUnknownPriorityBadIdsAndListsEveryFailure() {
        Map<String, Object> event = event("schedule.created", example("schedule.created"));
        event.put("priority", "urgent");
        event.put("eventId", "not-a-uuid");
        event.put("timestamp", "yesterday");
        event.remove("source");

        assertThat(SCHEMAS.validate(event)).extracting(FieldError::path)
                .contains("$.priority", "$.eventId", "$.timestamp", "$.source");
    }

    @Test
    void unknownEventTypeIsRefusedByName() {
        assertThat(SCHEMAS.validate(event("schedule.exploded", Map.of())))
                .anySatisfy(error -> assertThat(error.toString()).contains("$.eventType").contains("schedule.exploded"));
    }

    /**
     * Only the current schema of each type is known, so an event of another major version is refused by its
     * version; another minor or patch version of the same major is checked against the schema here.
     */
    @Test
    void anEventOfAnotherMajorVersionIsRefusedAndAnotherMinorIsChecked() {
        Map<String, Object> newerMajor = event("schedule.created", example("schedule.created"));
        newerMajor.put("version", "2.0.0");
        Map<String, Object> newerMinor = event("schedule.created", example("schedule.created"));
        newerMinor.put("version", "1.3.1");
        Map<String, Object> zeroPadded = event("schedule.created", example("schedule.created"));
        zeroPadded.put("version", "01.0.0");

        assertThat(SCHEMAS.validate(newerMajor)).singleElement().satisfies(error -> {
            assertThat(error.path()).isEqualTo("$.version");
            assertThat(error.toString()).contains("version 2.0.0 of 'schedule.created'").contains("1.0.0");
        });
        assertThat(SCHEMAS.validate(newerMinor)).isEmpty();
        assertThat(SCHEMAS.validate(zeroPadded)).isEmpty();
    }

    /** The brief's examples (README "Publishing Events", "Event Publisher", "Debugging"), wrapped in envelopes. */
    @Test
    void theBriefsExamplesValidate() {
        Map<String, Object> scheduleCreated = Map.of("scheduleId", "schedule-123", "sport", "Basketball", "season", "2025-26",
                "conference", "Big 12", "status", "draft", "createdBy", "user-456", "teams", List.of("kansas", "baylor", "texas-tech"));
        Map<String, Object> optimizationStarted = Map.of("optimizationId", "opt-789", "scheduleId", "schedule-123",
                "algorithm", "simulated-annealing", "parameters", Map.of("iterations", 1000, "temperature", 100));
        Map<String, Object> minimalSchedule = Map.of("scheduleId", "123", "sport", "Football");
        Map<String, Object> healthTest = Map.of("test", true);
        assertThat(SCHEMAS.validate(event("schedule.created", new HashMap<>(scheduleCreated)))).isEmpty();
        assertThat(SCHEMAS.validate(event("optimization.started", new HashMap<>(optimizationStarted)))).isEmpty();
        assertThat(SCHEMAS.validate(event("schedule.created", new HashMap<>(minimalSchedule)))).isEmpty();
        assertThat(SCHEMAS.validate(event("system.health.check", new HashMap<>(healthTest)))).isEmpty();

        // The brief's "Event Schema" block, with its 'uuid' placeholders filled in.
        Map<String, Object> envelope = new LinkedHashMap<>();
        envelope.put("eventId", UUID.randomUUID().toString());
        envelope.put("eventType", "schedule.created");
        envelope.put("version", "1.0.0");
        envelope.put("timestamp", "2025-01-29T12:00:00.000Z");
        envelope.put("source", Map.of("service", "flextime-backend", "instance", "server-1", "version", "3.0.0", "userId", "user-123"));
        envelope.put("correlationId", UUID.randomUUID().toString());
        envelope.put("causationId", UUID.randomUUID().toString());
        envelope.put("priority", "normal");
        envelope.put("data", new HashMap<>(minimalSchedule));
        envelope.put("metadata", Map.of());
        envelope.put("tags", List.of("tag1", "tag2"));
        assertThat(SCHEMAS.validate(envelope)).isEmpty();
    }

    static Map<String, Object> event(String type, Map<String, Object> data) {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("eventId", UUID.randomUUID().toString());
        event.put("eventType", type);
        event.put("version", "1.0.0");
        event.put("timestamp", "2026-01-01T00:00:00Z");
        event.put("source", Map.of("service", "test"));
        event.put("data", data);
        return event;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> example(String type) {
        return JSON.convertValue(SCHEMAS.type(type).schema().path("examples").get(0), LinkedHashMap.class);
    }
}
