package io.flextime.events.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

import io.flextime.events.FlexTimeTestApps;
import io.flextime.streams.testing.RedisServerExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every mapped endpoint, found from the application's own handler mappings rather than a hand-kept list,
 * refuses a missing or wrong key; with no key configured at all, they answer 503.
 */
class ApiSecurityTests {

    private static final String KEY = "right-key-9876543210";

    @RegisterExtension
    static final RedisServerExtension redisServer = new RedisServerExtension();

    private static FlexTimeTestApps apps;

    private static ConfigurableApplicationContext app;

    private static ApiClient api;

    @BeforeAll
    static void start() {
        apps = new FlexTimeTestApps(redisServer.server());
        app = apps.startWeb("--EVENT_API_KEY=" + KEY);
        api = new ApiClient(app, KEY);
    }

    @AfterAll
    static void stop() {
        apps.close();
    }

    @Test
    void everyMappedEndpointRefusesAMissingOrWrongKey() {
        List<Endpoint> endpoints = mappedEndpoints(app);
        assertThat(endpoints).extracting(Endpoint::path).contains("/api/events/publish", "/api/streams/{name}/messages",
                "/api/admin/streams/{name}", "/api/metrics/alerts", "/api/events/stream");
        for (Endpoint endpoint : endpoints) {
            String path = endpoint.path().replaceAll("\\{[^}]+}", "x");
            String body = endpoint.method().equals("POST") ? "{}" : null;
            if (endpoint.path().equals("/health")) {
                assertThat(api.send(endpoint.method(), path, body, (String) null).status()).as(endpoint.toString()).isEqualTo(200);
                continue;
            }
            ApiClient.Response missing = api.send(endpoint.method(), path, body, (String) null);
            ApiClient.Response wrong = api.send(endpoint.method(), path, body, "wrong-key");
            ApiClient.Response wrongBearer = api.send(endpoint.method(), path, body, Map.of("Authorization", "Bearer nope"));
            for (ApiClient.Response response : List.of(missing, wrong, wrongBearer)) {
                assertThat(response.status()).as(endpoint.toString()).isEqualTo(401);
                assertThat(response.isProblem()).as(endpoint + " answers problem details").isTrue();
            }
        }
    }

    /** Spellings Spring routes to protected handlers, and paths nothing handles, need the key as well. */
    @Test
    void encodedPathsPathParametersAndUnknownPathsNeedTheKeyToo() {
        for (String path : List.of("/%61pi/metrics", "/api;x=1/metrics", "/api/streams;x", "/event%73", "/events;x",
                "/actuator;x/prometheus", "/%61ctuator/health", "/no-such-thing")) {
            ApiClient.Response response = api.send("GET", path, null, (String) null);
            assertThat(response.status()).as(path).isEqualTo(401);
        }
        assertThat(api.send("GET", "/%61pi/metrics", null, KEY).status()).isEqualTo(200);
        assertThat(api.send("GET", "/health", null, (String) null).status()).isEqualTo(200);
        assertThat(api.send("GET", "/actuator/health/liveness", null, (String) null).status()).isEqualTo(200);
    }

    @Test
    void theKeyWorksAsHeaderOrBearerToken() {
        assertThat(api.send("GET", "/api/events/types", null, Map.of("X-API-Key", KEY)).status()).isEqualTo(200);
        assertThat(api.send("GET", "/api/events/types", null, Map.of("Authorization", "Bearer " + KEY)).status()).isEqualTo(200);
    }

    @Test
    void withNoKeyConfiguredProtectedEndpointsSayHowToSetOne() {
        try (FlexTimeTestApps unconfigured = new FlexTimeTestApps(redisServer.server())) {
            ApiClient client = new ApiClient(unconfigured.startWeb(), null);
            ApiClient.Response response = client.send("GET", "/api/streams", null, "anything");
            assertThat(response.status()).isEqualTo(503);
            assertThat(response.json().path("detail").asString()).contains("EVENT_API_KEY");
            assertThat(client.send("GET", "/health", null, (String) null).status()).isEqualTo(200);
        }
    }

    static List<Endpoint> mappedEndpoints(ConfigurableApplicationContext app) {
        List<Endpoint> endpoints = new ArrayList<>();
        Map<RequestMappingInfo, ?> mappings = app.getBean("requestMappingHandlerMapping", RequestMappingHandlerMapping.class)
                .getHandlerMethods();
        for (RequestMappingInfo info : mappings.keySet()) {
            Set<RequestMethod> methods = info.getMethodsCondition().getMethods();
            for (String path : info.getPatternValues()) {
                if (path.equals("/error")) {
                    continue;
                }
                for (RequestMethod method : methods.isEmpty() ? Set.of(RequestMethod.GET) : methods) {
                    endpoints.add(new Endpoint(method.name(), path));
                }
            }
        }
        return endpoints;
    }

    record Endpoint(String method, String path) {
    }
}
