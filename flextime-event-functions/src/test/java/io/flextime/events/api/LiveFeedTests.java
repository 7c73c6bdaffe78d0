package io.flextime.events.api;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.messaging.support.MessageBuilder;

import io.flextime.events.FlexTimeTestApps;
import io.flextime.streams.binder.support.RedisStreamHeaders;
import io.flextime.streams.testing.RedisServerExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The live feed: a WebSocket and an SSE client receive published events, filtered; a slow client is cut off alone. */
class LiveFeedTests {

    private static final String KEY = "feed-key-0123456789";

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
    void webSocketClientReceivesPublishedEventsOfTheTypesItAskedFor() throws Exception {
        List<String> received = new CopyOnWriteArrayList<>();
        WebSocket socket = subscribedWebSocket("types=game.*", received);

        api.post("/api/events/publish", "{\"eventType\":\"system.health.check\",\"data\":{\"test\":true}}");
        String gameId = "g-ws-" + System.nanoTime();
        api.post("/api/events/publish", "{\"eventType\":\"game.cancelled\",\"data\":{\"gameId\":\"" + gameId
                + "\",\"scheduleId\":\"s\",\"homeTeam\":\"a\",\"awayTeam\":\"b\"}}");

        await().atMost(Duration.ofSeconds(20)).until(() -> received.stream().anyMatch(text -> text.contains(gameId)));
        assertThat(received).allSatisfy(text -> assertThat(text).contains("\"eventType\":\"game.cancelled\""));
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "done").get(5, TimeUnit.SECONDS);
    }

    /** As a browser's {@code URLSearchParams} sends them: the comma and the colons percent-encoded. */
    @Test
    void webSocketFiltersAreReadDecodedAndStreamsMayCarryThePrefix() throws Exception {
        List<String> received = new CopyOnWriteArrayList<>();
        String query = "types=game.*%2Csystem.health.check&streams=flextime%3Astream%3Agame-events%2Csystem-events";
        WebSocket socket = subscribedWebSocket(query, received);

        String gameId = "g-enc-" + System.nanoTime();
        String checkId = "check-enc-" + System.nanoTime();
        api.post("/api/events/publish", "{\"eventType\":\"game.cancelled\",\"data\":{\"gameId\":\"" + gameId
                + "\",\"scheduleId\":\"s\",\"homeTeam\":\"a\",\"awayTeam\":\"b\"}}");
        api.post("/api/events/publish", "{\"eventType\":\"system.health.check\",\"data\":{\"service\":\"" + checkId + "\",\"test\":true}}");

        await().atMost(Duration.ofSeconds(20)).until(() -> received.stream().anyMatch(text -> text.contains(gameId))
                && received.stream().anyMatch(text -> text.contains(checkId)));
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "done").get(5, TimeUnit.SECONDS);
    }

    /** A misspelt type or stream would leave the client on a feed that never says anything; it is refused instead. */
    @Test
    void aFilterNamingWhatTheFeedNeverCarriesIsRefused() throws Exception {
        for (String query : List.of("types=gmae.*", "types=game.exploded", "streams=schedule", "streams=game-events,nope")) {
            HttpRequest request = HttpRequest.newBuilder(URI.create(api.base() + "/api/events/stream?" + query))
                    .header("X-API-Key", KEY).header("Accept", "text/event-stream").build();
            // The status first: an accepted subscription is a response whose body never ends.
            HttpResponse<InputStream> response = api.http().send(request, HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream body = response.body()) {
                assertThat(response.statusCode()).as(query).isEqualTo(400);
                assertThat(new String(body.readAllBytes(), StandardCharsets.UTF_8)).as(query).contains("Unknown");
            }
        }

        CompletableFuture<String> closed = new CompletableFuture<>();
        api.http().newWebSocketBuilder().header("X-API-Key", KEY)
                .buildAsync(URI.create(api.base().replace("http", "ws") + "/events?types=gmae.*"), new WebSocket.Listener() {
                    @Override
                    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
                        closed.complete(statusCode + " " + reason);
                        return null;
                    }
                }).get(10, TimeUnit.SECONDS);
        assertThat(closed.get(10, TimeUnit.SECONDS)).startsWith("1007 ").contains("Unknown event type 'gmae.*'");
    }

    /**
     * A WebSocket on {@code /events?<query>} whose text frames go to {@code received}, once it is subscribed: a probe
     * {@code game.cancelled} (which the query must let through) is published until one arrives. A count of the
     * feed's subscribers would not tell this socket from another test's.
     */
    private static WebSocket subscribedWebSocket(String query, List<String> received) throws Exception {
        WebSocket socket = api.http().newWebSocketBuilder().header("X-API-Key", KEY)
                .buildAsync(URI.create(api.base().replace("http", "ws") + "/events?" + query), new WebSocket.Listener() {
                    @Override
                    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                        received.add(data.toString());
                        webSocket.request(1);
                        return null;
                    }
                }).get(10, TimeUnit.SECONDS);
        String probe = "g-probe-" + System.nanoTime();
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            api.post("/api/events/publish", "{\"eventType\":\"game.cancelled\",\"data\":{\"gameId\":\"" + probe
                    + "\",\"scheduleId\":\"s\",\"homeTeam\":\"a\",\"awayTeam\":\"b\"}}");
            return received.stream().anyMatch(text -> text.contains(probe));
        });
        return socket;
    }

    @Test
    void webSocketWithoutTheKeyIsRefused() {
        assertThat(api.http().newWebSocketBuilder().buildAsync(URI.create(api.base().replace("http", "ws") + "/events"),
                new WebSocket.Listener() { }).handle((socket, error) -> error != null).join()).isTrue();
    }

    @Test
    void sseClientReceivesPublishedEventsOfTheStreamItAskedFor() throws Exception {
        List<String> lines = new CopyOnWriteArrayList<>();
        CountDownLatch connected = new CountDownLatch(1);
        HttpRequest request = HttpRequest.newBuilder(URI.create(api.base() + "/api/events/stream?streams=optimization-events"))
                .header("X-API-Key", KEY).header("Accept", "text/event-stream").build();
        api.http().sendAsync(request, HttpResponse.BodyHandlers.ofLines()).thenAccept(response -> {
            connected.countDown();
            try (Stream<String> stream = response.body()) {
                stream.forEach(lines::add);
            }
        });
        assertThat(connected.await(10, TimeUnit.SECONDS)).isTrue();
        await().atMost(Duration.ofSeconds(10)).until(() -> app.getBean(LiveFeed.class).subscriberCount() >= 1);

        String runId = "opt-sse-" + System.nanoTime();
        api.post("/api/events/publish", "{\"eventType\":\"optimization.started\",\"data\":{\"optimizationId\":\"" + runId
                + "\",\"scheduleId\":\"s\",\"algorithm\":\"tabu\"}}");
        api.post("/api/events/publish", "{\"eventType\":\"system.health.check\",\"data\":{\"test\":true}}");

        await().atMost(Duration.ofSeconds(20)).until(() -> lines.stream().anyMatch(line -> line.contains(runId)));
        assertThat(lines).filteredOn(line -> line.startsWith("data:")).allSatisfy(line -> assertThat(line).contains("optimization."));
        assertThat(lines).contains("event:event");
    }

    @Test
    void aSlowClientIsDisconnectedWithAReasonAndOthersKeepReceiving() throws Exception {
        LiveFeed feed = new LiveFeed("flextime:stream:");
        CountDownLatch stuck = new CountDownLatch(1);
        List<String> reasons = new CopyOnWriteArrayList<>();
        List<String> fast = new CopyOnWriteArrayList<>();
        feed.subscribe(LiveFeed.Filter.parse(null, null), blockedUntil(stuck), null, reasons::add);
        feed.subscribe(LiveFeed.Filter.parse(null, null), fast::add, null, reason -> { });

        // The burst comes in two parts, and the fast client drains the first before the second: under load its own
        // sender could otherwise fall a whole buffer behind a burst and be dropped as too slow as well.
        for (int i = 0; i < LiveFeed.BUFFER; i++) {
            feed.accept(healthCheck(i));
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> fast.size() == LiveFeed.BUFFER);
        for (int i = LiveFeed.BUFFER; i < LiveFeed.BUFFER + 10; i++) {
            feed.accept(healthCheck(i));
        }

        await().atMost(Duration.ofSeconds(10)).until(() -> !reasons.isEmpty());
        assertThat(reasons).singleElement().asString().contains("too slow");
        assertThat(feed.subscriberCount()).isEqualTo(1);
        await().atMost(Duration.ofSeconds(10)).until(() -> fast.size() == LiveFeed.BUFFER + 10);
        stuck.countDown();
        assertThat(Set.copyOf(fast)).hasSize(LiveFeed.BUFFER + 10);
    }

    private static org.springframework.messaging.Message<byte[]> healthCheck(int n) {
        return MessageBuilder.withPayload(("{\"n\":" + n + "}").getBytes())
                .setHeader(RedisStreamHeaders.STREAM, "flextime:stream:system-events").setHeader("eventType", "system.health.check").build();
    }

    @Test
    void aClientWithMoreThanAMebibyteWaitingIsDisconnected() {
        LiveFeed feed = new LiveFeed("flextime:stream:");
        CountDownLatch stuck = new CountDownLatch(1);
        List<String> reasons = new CopyOnWriteArrayList<>();
        feed.subscribe(LiveFeed.Filter.parse(null, null), blockedUntil(stuck), null, reasons::add);
        String big = "{\"notes\":\"" + "x".repeat(300_000) + "\"}";

        for (int i = 0; i < 5; i++) {
            feed.accept(MessageBuilder.withPayload(big.getBytes()).setHeader(RedisStreamHeaders.STREAM,
                    "flextime:stream:system-events").setHeader("eventType", "system.health.check").build());
        }

        await().atMost(Duration.ofSeconds(10)).until(() -> !reasons.isEmpty());
        assertThat(reasons).singleElement().asString().contains("KiB waiting");
        assertThat(feed.subscriberCount()).isZero();
        stuck.countDown();
    }

    /** A quiet feed writes nothing that could fail; the heartbeat finds the client that went away. */
    @Test
    void aClientThatWentAwayIsFoundByTheHeartbeat() {
        LiveFeed feed = new LiveFeed("flextime:stream:", 10, Duration.ofMillis(50));
        feed.start();
        try {
            List<String> reasons = new CopyOnWriteArrayList<>();
            feed.subscribe(LiveFeed.Filter.parse(null, null), json -> { }, () -> {
                throw new java.io.IOException("Broken pipe");
            }, reasons::add);

            await().atMost(Duration.ofSeconds(10)).until(() -> feed.subscriberCount() == 0 && !reasons.isEmpty());
            assertThat(reasons).singleElement().asString().contains("Broken pipe");
        }
        finally {
            feed.stop();
        }
    }

    @Test
    void clientsBeyondTheLimitAreTurnedAwayWithA503() {
        LiveFeed feed = new LiveFeed("flextime:stream:", 1, Duration.ofSeconds(20));
        feed.subscribe(LiveFeed.Filter.parse(null, null), json -> { }, null, reason -> { });

        org.assertj.core.api.Assertions.assertThatExceptionOfType(ApiProblem.class)
                .isThrownBy(() -> feed.subscribe(LiveFeed.Filter.parse(null, null), json -> { }, null, reason -> { }))
                .satisfies(problem -> assertThat(problem.getStatus()).isEqualTo(org.springframework.http.HttpStatus.SERVICE_UNAVAILABLE))
                .withMessageContaining("at most 1 clients");
        assertThat(feed.subscriberCount()).isEqualTo(1);
    }

    /** Clients subscribing at the same moment cannot all pass the limit: exactly as many as allowed get in. */
    @Test
    void clientsSubscribingAtOnceNeverExceedTheLimit() throws Exception {
        LiveFeed feed = new LiveFeed("flextime:stream:", 5, Duration.ofSeconds(20));
        CountDownLatch go = new CountDownLatch(1);
        java.util.concurrent.atomic.AtomicInteger admitted = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.ExecutorService clients = java.util.concurrent.Executors.newFixedThreadPool(40);
        try {
            for (int i = 0; i < 40; i++) {
                clients.execute(() -> {
                    try {
                        go.await();
                        feed.subscribe(LiveFeed.Filter.parse(null, null), json -> { }, null, reason -> { });
                        admitted.incrementAndGet();
                    }
                    catch (ApiProblem | InterruptedException refused) {
                        // turned away
                    }
                });
            }
            go.countDown();
            clients.shutdown();
            assertThat(clients.awaitTermination(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        }
        finally {
            clients.shutdownNow();
        }

        assertThat(admitted.get()).isEqualTo(5);
        assertThat(feed.subscriberCount()).isEqualTo(5);
    }

    /** A client whose sends hang until {@code released}: a stuck socket. */
    private static LiveFeed.Sender blockedUntil(CountDownLatch released) {
        return json -> {
            try {
                released.await();
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
        };
    }
}
