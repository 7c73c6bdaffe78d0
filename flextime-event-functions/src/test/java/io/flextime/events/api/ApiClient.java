package io.flextime.events.api;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.context.ConfigurableApplicationContext;

/** A plain HTTP client for the API tests: real requests to the real server. */
final class ApiClient {

    static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final String base;

    private final String key;

    ApiClient(ConfigurableApplicationContext app, String key) {
        this.base = "http://127.0.0.1:" + app.getEnvironment().getProperty("local.server.port");
        this.key = key;
    }

    String base() {
        return this.base;
    }

    Response get(String path) {
        return send("GET", path, null, this.key);
    }

    Response post(String path, String json) {
        return send("POST", path, json, this.key);
    }

    Response delete(String path) {
        return send("DELETE", path, null, this.key);
    }

    Response send(String method, String path, String body, String withKey) {
        return send(method, path, body, withKey == null ? Map.of() : Map.of("X-API-Key", withKey));
    }

    Response send(String method, String path, String body, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(this.base + path)).timeout(Duration.ofSeconds(20))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        headers.forEach(request::header);
        try {
            HttpResponse<String> response = this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Response(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""), response.body());
        }
        catch (IOException ex) {
            throw new IllegalStateException(method + " " + path + " failed: " + ex.getMessage(), ex);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }

    HttpClient http() {
        return this.http;
    }

    record Response(int status, String contentType, String body) {

        JsonNode json() {
            return JSON.readTree(this.body);
        }

        boolean isProblem() {
            return this.contentType.startsWith("application/problem+json") && json().path("status").asInt() == this.status
                    && !json().path("detail").asString("").isBlank();
        }
    }
}
