package io.flextime.events.api;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.context.ConfigurableApplicationContext;

import io.flextime.events.FlexTimeTestApps;
import io.flextime.streams.testing.RedisServerExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What a client can send wrong: each case gets its 4xx with a problem-details body, never a 500, and leaves
 * every Redis key as it was (none created, none removed).
 */
class BadInputTests {

    private static final String KEY = "bad-input-key-0123456789";

    private static final String TEN_KB = "a".repeat(10 * 1024);

    @RegisterExtension
    static final RedisServerExtension redisServer = new RedisServerExtension();

    private static FlexTimeTestApps apps;

    private static ApiClient api;

    @BeforeAll
    static void start() {
        apps = new FlexTimeTestApps(redisServer.server());
        ConfigurableApplicationContext app = apps.startWeb("--EVENT_API_KEY=" + KEY);
        api = new ApiClient(app, KEY);
        apps.redis().xadd("flextime:stream:bad-input-target", Map.of("payload", "{}"));
        // Let the start-up announcement pass through every handler, so the service itself creates no keys meanwhile.
        await().atMost(Duration.ofSeconds(30)).until(() -> apps.redis().exists("flextime:audit") == 1
                && !apps.redis().keys("*.flextime-workers-audit.counters").isEmpty());
    }

    @AfterAll
    static void stop() {
        apps.close();
    }

    static Stream<Arguments> cases() {
        String event = "{\"eventType\":\"schedule.created\",\"data\":%s}";
        String valid = "{\"scheduleId\":\"s-1\",\"sport\":\"Football\"}";
        return Stream.of(
                // publishing: malformed, wrong shape, wrong types, missing and extra fields, unknown types
                Arguments.of("POST", "/api/events/publish", "{", 400),
                Arguments.of("POST", "/api/events/publish", "[]", 400),
                Arguments.of("POST", "/api/events/publish", "\"just a string\"", 400),
                Arguments.of("POST", "/api/events/publish", "", 400),
                Arguments.of("POST", "/api/events/publish", "{\"data\":{}}", 400),
                Arguments.of("POST", "/api/events/publish", "{\"eventType\":{},\"data\":{}}", 400),
                Arguments.of("POST", "/api/events/publish", "{\"eventType\":\"weather.changed\",\"data\":{}}", 400),
                Arguments.of("POST", "/api/events/publish", "{\"eventType\":\"schedule.exploded\",\"data\":{}}", 400),
                Arguments.of("POST", "/api/events/publish", event.formatted("[1]"), 400),
                Arguments.of("POST", "/api/events/publish", event.formatted("\"text\""), 400),
                Arguments.of("POST", "/api/events/publish", event.formatted("null"), 400),
                Arguments.of("POST", "/api/events/publish", event.formatted("{\"sport\":\"Football\"}"), 400),
                Arguments.of("POST", "/api/events/publish", event.formatted("{\"scheduleId\":\"s\",\"sport\":5}"), 400),
                Arguments.of("POST", "/api/events/publish", event.formatted("{\"scheduleId\":\"s\",\"sport\":\"x\",\"extra\":1}"), 400),
                Arguments.of("POST", "/api/events/publish", "{\"eventType\":\"schedule.created\",\"priority\":\"urgent\",\"data\":" + valid + "}", 400),
                Arguments.of("POST", "/api/events/publish", "{\"eventType\":\"schedule.created\",\"tags\":{},\"data\":" + valid + "}", 400),
                Arguments.of("POST", "/api/events/publish", "{\"eventType\":\"schedule.created\",\"metadata\":[],\"data\":" + valid + "}", 400),
                Arguments.of("POST", "/api/events/publish", "{\"eventType\":\"schedule.created\",\"correlationId\":\"abc\",\"data\":" + valid + "}", 400),
                Arguments.of("POST", "/api/events/publish", "{\"eventType\":\"schedule.créé\",\"data\":{}}", 400),
                // a field the API does not know (here misspelt) is refused, not dropped
                Arguments.of("POST", "/api/events/publish", "{\"eventType\":\"schedule.created\",\"eventID\":\"e-1\",\"data\":" + valid + "}", 400),
                Arguments.of("POST", "/api/events/publish/batch", "{\"events\":[{\"eventType\":\"schedule.created\",\"priorty\":\"high\",\"data\":" + valid + "}]}", 400),
                Arguments.of("POST", "/api/events/publish", "{\"eventType\":\"" + TEN_KB + "\",\"data\":{}}", 400),
                Arguments.of("POST", "/api/events/publish", "{\"eventType\":\"schedule.created\",\"data\":{\"scheduleId\":\""
                        + "x".repeat(1024 * 1024) + "\"}}", 413),
                Arguments.of("POST", "/api/events/publish", "{\"eventType\":\"schedule.created\",\"data\":{\"scheduleId\":\""
                        + TEN_KB + "\",\"sport\":\"x\"}}", 400),
                // batches
                Arguments.of("POST", "/api/events/publish/batch", "{", 400),
                Arguments.of("POST", "/api/events/publish/batch", "{}", 400),
                Arguments.of("POST", "/api/events/publish/batch", "{\"events\":[]}", 400),
                Arguments.of("POST", "/api/events/publish/batch", "{\"events\":\"x\"}", 400),
                Arguments.of("POST", "/api/events/publish/batch", "{\"events\":[1,2]}", 400),
                Arguments.of("POST", "/api/events/publish/batch", "{\"events\":[" + "{},".repeat(500) + "{}]}", 413),
                // streams and messages: unknown names, hostile names, out-of-range paging
                Arguments.of("GET", "/api/streams/no-such-stream", null, 404),
                Arguments.of("GET", "/api/streams/a*b", null, 400),
                Arguments.of("GET", "/api/streams/a..b", null, 400),
                Arguments.of("GET", "/api/streams/evil%0D%0AX-Injected:%201", null, 400),
                Arguments.of("GET", "/api/streams/%C3%A9t%C3%A9", null, 400),
                Arguments.of("GET", "/api/streams/has%20space", null, 400),
                Arguments.of("GET", "/api/streams/" + TEN_KB, null, 400),
                Arguments.of("GET", "/api/streams/..", null, 400),
                Arguments.of("GET", "/api/streams/bad-input-target/messages?count=0", null, 400),
                Arguments.of("GET", "/api/streams/bad-input-target/messages?count=1001", null, 400),
                Arguments.of("GET", "/api/streams/bad-input-target/messages?count=-5", null, 400),
                Arguments.of("GET", "/api/streams/bad-input-target/messages?count=abc", null, 400),
                Arguments.of("GET", "/api/streams/bad-input-target/messages?start=-1", null, 400),
                Arguments.of("GET", "/api/streams/bad-input-target/messages?start=abc", null, 400),
                Arguments.of("GET", "/api/streams/bad-input-target/messages?end=1-2-3", null, 400),
                Arguments.of("GET", "/api/streams/bad-input-target/messages?start=*", null, 400),
                // Well formed, but no range Redis accepts: nothing comes before 0-0.
                Arguments.of("GET", "/api/streams/bad-input-target/messages?end=(0-0", null, 400),
                Arguments.of("GET", "/api/streams/bad-input-target/messages?start=(-", null, 400),
                Arguments.of("GET", "/api/streams/bad-input-target/messages?end=(%2B", null, 400),
                Arguments.of("GET", "/api/streams/no-such-stream/messages", null, 404),
                Arguments.of("GET", "/api/streams/a*/messages", null, 400),
                // consumer groups and schemas
                Arguments.of("GET", "/api/consumers/no-such-group", null, 404),
                Arguments.of("GET", "/api/consumers/a*b", null, 400),
                Arguments.of("GET", "/api/consumers/..x", null, 400),
                Arguments.of("GET", "/api/events/schema/nope.nothing", null, 404),
                Arguments.of("GET", "/api/events/schema/weird%20type", null, 404),
                // administration
                Arguments.of("POST", "/api/admin/streams/no-such-stream/trim", "{\"maxLength\":1}", 404),
                Arguments.of("POST", "/api/admin/streams/bad-input-target/trim", "{\"maxLength\":1,\"minId\":\"1-0\"}", 400),
                Arguments.of("POST", "/api/admin/streams/bad-input-target/trim", "{}", 400),
                Arguments.of("POST", "/api/admin/streams/bad-input-target/trim", "{\"maxLength\":-3}", 400),
                Arguments.of("POST", "/api/admin/streams/bad-input-target/trim", "{\"minId\":\"yesterday\"}", 400),
                Arguments.of("POST", "/api/admin/streams/bad-input-target/trim", "{\"minId\":\"(5\"}", 400),
                Arguments.of("POST", "/api/admin/streams/bad-input-target/trim", "{\"minId\":\"+\"}", 400),
                Arguments.of("POST", "/api/admin/streams/bad-input-target/trim", "{\"maxLength\":", 400),
                Arguments.of("POST", "/api/admin/streams/bad-input-target/trim", "{\"maxLength\":\"many\"}", 400),
                Arguments.of("POST", "/api/admin/streams/*/trim", "{\"maxLength\":1}", 400),
                Arguments.of("POST", "/api/admin/consumers/readers/reset", "{\"to\":\"latest\"}", 400),
                Arguments.of("POST", "/api/admin/consumers/readers/reset", "{}", 400),
                Arguments.of("POST", "/api/admin/consumers/flextime-workers-audit/reset", "{\"to\":\"0\",\"streams\":\"game-events\"}", 400),
                Arguments.of("POST", "/api/admin/streams/bad-input-target/trim", "{\"maxLength\":5,\"aproximate\":false}", 400),
                Arguments.of("POST", "/api/admin/consumers/no-such-group/reset", "{\"to\":\"0\"}", 404),
                Arguments.of("POST", "/api/admin/consumers/a*/reset", "{\"to\":\"0\"}", 400),
                Arguments.of("POST", "/api/admin/consumers/g/reset", "{\"to\":\"0\",\"stream\":\"no-such-stream\"}", 404),
                Arguments.of("DELETE", "/api/admin/streams/bad-input-target", null, 400),
                Arguments.of("DELETE", "/api/admin/streams/bad-input-target?confirm=something-else", null, 400),
                Arguments.of("DELETE", "/api/admin/streams/no-such-stream?confirm=no-such-stream", null, 404),
                Arguments.of("DELETE", "/api/admin/streams/..?confirm=..", null, 400),
                Arguments.of("POST", "/api/admin/dead-letters/bad-input-target/replay", null, 400),
                Arguments.of("POST", "/api/admin/dead-letters/no-such.dlq/replay", null, 404),
                Arguments.of("POST", "/api/admin/dead-letters/evil%0D%0A.dlq/replay", null, 400),
                // the framework's own errors are problem details too
                Arguments.of("GET", "/api/no-such-endpoint", null, 404),
                Arguments.of("PUT", "/api/streams", "{}", 405));
    }

    @ParameterizedTest(name = "{0} {1} -> {3}")
    @MethodSource("cases")
    void badInputGetsAProblemAndChangesNoKey(String method, String path, String body, int expectedStatus) {
        Set<String> before = new TreeSet<>(apps.redis().keys("*"));

        ApiClient.Response response = api.send(method, path, body, KEY);

        assertThat(response.status()).as(response.body()).isEqualTo(expectedStatus);
        assertThat(response.isProblem()).as("problem details: " + response.body()).isTrue();
        assertThat(new TreeSet<>(apps.redis().keys("*"))).isEqualTo(before);
    }

    /** A body that is not JSON, or not of the expected shape, is described without the service's class names. */
    @ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = { "", "{", "[]", "{\"eventType\":{},\"data\":{}}",
            "{\"eventType\":\"schedule.created\",\"priority\":\"urgent-ish\",\"data\":{}}" })
    void aMalformedBodyIsDescribedWithoutClassNames(String body) {
        ApiClient.Response response = api.post("/api/events/publish", body);

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.body()).doesNotContain("io.flextime").doesNotContain("java.").doesNotContain("tools.jackson")
                .doesNotContain("Exception");
    }

    @Test
    void aValueOfTheWrongTypeIsNamedWithItsPath() {
        ApiClient.Response response = api.post("/api/events/publish", "{\"eventType\":{},\"data\":{}}");

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.body()).contains("$.eventType");
    }

    /** An unknown field is named where it is, as a schema failure would be, with the fields the API knows there. */
    @Test
    void anUnknownFieldIsNamedWithItsPath() {
        ApiClient.Response response = api.post("/api/events/publish/batch",
                "{\"events\":[{\"eventType\":\"schedule.created\",\"priorty\":\"high\",\"data\":{}}]}");

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.body()).contains("Unknown field '$.events[0].priorty'").contains(", priority,")
                .doesNotContain("io.flextime");
    }
}
