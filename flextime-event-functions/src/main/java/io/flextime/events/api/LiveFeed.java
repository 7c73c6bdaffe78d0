package io.flextime.events.api;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.stream.Collectors;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.context.SmartLifecycle;
import org.springframework.http.HttpStatus;
import org.springframework.messaging.Message;
import org.springframework.util.StringUtils;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.handler.ConcurrentWebSocketSessionDecorator;

import io.flextime.events.handlers.EventHandlers;
import io.flextime.streams.binder.support.RedisStreamHeaders;

/**
 * The brief's live updates: every event, as it arrives on the streams (through an anonymous binding, so each
 * instance sees all of them from its start), pushed to WebSocket ({@code /events}) and Server-Sent Events
 * ({@code /api/events/stream}) clients, each filtered by event type and stream. Every client has a bounded
 * buffer ({@value #BUFFER} events or 1 MiB); one that cannot keep up is disconnected with a reason, so it
 * never slows the others or grows memory without limit. At most {@value #MAX_CLIENTS} clients at once, each
 * with a sender thread of its own. An SSE client that went away unnoticed (a quiet feed writes nothing that
 * would fail) is found by a comment sent every {@code heartbeat}.
 */
public class LiveFeed implements Consumer<Message<byte[]>>, SmartLifecycle {

    static final int BUFFER = 1000;

    static final int BUFFER_BYTES = 1024 * 1024;

    static final int MAX_CLIENTS = 200;

    private static final Log logger = LogFactory.getLog(LiveFeed.class);

    private final Map<Object, Subscriber> subscribers = new ConcurrentHashMap<>();

    private final String prefix;

    private final int maxClients;

    private final Duration heartbeat;

    private volatile ScheduledExecutorService heartbeats;

    private volatile boolean running;

    public LiveFeed(String prefix) {
        this(prefix, MAX_CLIENTS, Duration.ofSeconds(20));
    }

    LiveFeed(String prefix, int maxClients, Duration heartbeat) {
        this.prefix = prefix;
        this.maxClients = maxClients;
        this.heartbeat = heartbeat;
    }

    @Override
    public void start() {
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "live-feed-heartbeat");
            thread.setDaemon(true);
            return thread;
        });
        scheduler.scheduleWithFixedDelay(() -> this.subscribers.values().forEach(Subscriber::offerHeartbeat),
                this.heartbeat.toMillis(), this.heartbeat.toMillis(), TimeUnit.MILLISECONDS);
        this.heartbeats = scheduler;
        this.running = true;
    }

    /**
     * Ends every subscription before the web server's graceful shutdown, which would otherwise wait for the
     * open-ended SSE responses until its timeout.
     */
    @Override
    public void stop() {
        this.running = false;
        if (this.heartbeats != null) {
            this.heartbeats.shutdownNow();
        }
        List.copyOf(this.subscribers.values()).forEach(subscriber -> subscriber.drop("server shutting down"));
    }

    @Override
    public boolean isRunning() {
        return this.running;
    }

    @Override
    public int getPhase() {
        return Integer.MAX_VALUE;
    }

    /** Called by the binding for every event on the seven streams. */
    @Override
    public void accept(Message<byte[]> message) {
        String key = String.valueOf(message.getHeaders().get(RedisStreamHeaders.STREAM));
        String stream = key.startsWith(this.prefix) ? key.substring(this.prefix.length()) : key;
        String type = String.valueOf(message.getHeaders().get("eventType"));
        String json = new String(message.getPayload(), StandardCharsets.UTF_8);
        this.subscribers.values().forEach(subscriber -> {
            if (subscriber.filter.accepts(type, stream)) {
                subscriber.offer(json);
            }
        });
    }

    /** @throws ApiProblem (503) when {@value #MAX_CLIENTS} clients are subscribed already */
    SseEmitter subscribeSse(Filter filter) {
        SseEmitter emitter = new SseEmitter(0L);
        Subscriber subscriber = new Subscriber(filter, json -> emitter.send(SseEmitter.event().name("event").data(json)),
                () -> emitter.send(SseEmitter.event().comment("heartbeat")),
                reason -> {
                    try {
                        emitter.send(SseEmitter.event().name("disconnect").data(reason));
                    }
                    catch (IOException | IllegalStateException ex) {
                        // already gone
                    }
                    emitter.complete();
                });
        requireAdmitted(emitter, subscriber);
        try {
            // Sends the response headers now, so the client knows it is subscribed before the first event.
            emitter.send(SseEmitter.event().comment("subscribed"));
        }
        catch (IOException ex) {
            remove(emitter);
        }
        emitter.onCompletion(() -> remove(emitter));
        emitter.onTimeout(() -> remove(emitter));
        emitter.onError(error -> remove(emitter));
        return emitter;
    }

    /** A WebSocket closes itself when its client goes, so it needs no heartbeat. */
    void subscribeWebSocket(WebSocketSession session, Filter filter) {
        WebSocketSession bounded = new ConcurrentWebSocketSessionDecorator(session, 10_000, BUFFER_BYTES,
                ConcurrentWebSocketSessionDecorator.OverflowStrategy.TERMINATE);
        Subscriber subscriber = new Subscriber(filter, json -> bounded.sendMessage(new TextMessage(json)), null, reason -> {
            try {
                session.close(CloseStatus.POLICY_VIOLATION.withReason(reason));
            }
            catch (IOException ex) {
                // already gone
            }
        });
        if (!admit(session.getId(), subscriber)) {
            try {
                session.close(CloseStatus.SERVICE_OVERLOAD.withReason(tooMany()));
            }
            catch (IOException ex) {
                // already gone
            }
        }
    }

    void unsubscribeWebSocket(WebSocketSession session) {
        remove(session.getId());
    }

    int subscriberCount() {
        return this.subscribers.size();
    }

    /**
     * Registers a client if there is room. The count and the registration are one step: checked apart, clients
     * subscribing at the same moment could all pass the check and exceed the limit.
     */
    private synchronized boolean admit(Object id, Subscriber subscriber) {
        if (this.subscribers.size() >= this.maxClients) {
            return false;
        }
        this.subscribers.put(id, subscriber);
        return true;
    }

    /** @throws ApiProblem (503) when there is no room */
    private void requireAdmitted(Object id, Subscriber subscriber) {
        if (!admit(id, subscriber)) {
            throw new ApiProblem(HttpStatus.SERVICE_UNAVAILABLE, tooMany());
        }
    }

    private String tooMany() {
        return "The live feed serves at most " + this.maxClients + " clients at once; try again later";
    }

    private void remove(Object id) {
        Subscriber subscriber = this.subscribers.remove(id);
        if (subscriber != null) {
            subscriber.sender.shutdownNow();
        }
    }

    /** Which events a client wants: comma-separated types ({@code game.*} allowed) and streams; empty means all. */
    record Filter(Set<String> types, Set<String> streams) {

        static Filter parse(String types, String streams) {
            return new Filter(split(types), split(streams));
        }

        boolean accepts(String type, String stream) {
            return (this.types.isEmpty() || EventHandlers.accepts(this.types, type))
                    && (this.streams.isEmpty() || this.streams.contains(stream));
        }

        private static Set<String> split(String list) {
            if (!StringUtils.hasText(list)) {
                return Set.of();
            }
            return Arrays.stream(list.split(",")).map(String::trim).filter(StringUtils::hasText).collect(Collectors.toSet());
        }
    }

    /**
     * Registers a client; {@code send} may block, {@code heartbeat} (or null) is sent every heartbeat interval,
     * {@code disconnect} is told why the client is dropped.
     * @throws ApiProblem (503) when {@value #MAX_CLIENTS} clients are subscribed already
     */
    Object subscribe(Filter filter, Sender send, Heartbeat heartbeat, Consumer<String> disconnect) {
        Object id = new Object();
        requireAdmitted(id, new Subscriber(filter, send, heartbeat, disconnect));
        return id;
    }

    @FunctionalInterface
    interface Sender {

        void send(String json) throws IOException;
    }

    @FunctionalInterface
    interface Heartbeat {

        void send() throws IOException;
    }

    /** One client: its own sender thread behind a queue bounded in events and in bytes. */
    private final class Subscriber {

        private final Filter filter;

        private final ThreadPoolExecutor sender;

        private final Sender send;

        private final Heartbeat heartbeat;

        private final Consumer<String> disconnect;

        /** Characters of the events queued and not yet sent (about their bytes: events are mostly ASCII JSON). */
        private final AtomicLong queued = new AtomicLong();

        Subscriber(Filter filter, Sender send, Heartbeat heartbeat, Consumer<String> disconnect) {
            this.filter = filter;
            this.send = send;
            this.heartbeat = heartbeat;
            this.disconnect = disconnect;
            this.sender = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(BUFFER),
                    runnable -> {
                        Thread thread = new Thread(runnable, "live-feed-sender");
                        thread.setDaemon(true);
                        return thread;
                    });
        }

        void offer(String json) {
            if (this.queued.addAndGet(json.length()) > BUFFER_BYTES) {
                drop("client too slow: more than " + BUFFER_BYTES / 1024 + " KiB waiting");
                return;
            }
            enqueue(() -> {
                try {
                    this.send.send(json);
                }
                finally {
                    this.queued.addAndGet(-json.length());
                }
            });
        }

        void offerHeartbeat() {
            if (this.heartbeat != null) {
                enqueue(this.heartbeat::send);
            }
        }

        private void enqueue(Heartbeat task) {
            try {
                this.sender.execute(() -> {
                    try {
                        task.send();
                    }
                    catch (IOException | RuntimeException ex) {
                        drop("send failed: " + ex.getMessage());
                    }
                });
            }
            catch (RejectedExecutionException ex) {
                drop("client too slow: more than " + BUFFER + " events waiting");
            }
        }

        /**
         * Telling the client why may block on the very socket that is stuck, so it runs on a thread of its own,
         * never on the thread that feeds every client.
         */
        private void drop(String reason) {
            if (LiveFeed.this.subscribers.values().remove(this)) {
                logger.info("Live feed client disconnected: " + reason);
                this.sender.shutdownNow();
                Thread goodbye = new Thread(() -> this.disconnect.accept(reason), "live-feed-disconnect");
                goodbye.setDaemon(true);
                goodbye.start();
            }
        }
    }
}
