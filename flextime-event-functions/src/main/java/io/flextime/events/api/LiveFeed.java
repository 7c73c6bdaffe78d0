package io.flextime.events.api;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Collectors;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.context.SmartLifecycle;
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
 * never slows the others or grows memory without limit.
 */
public class LiveFeed implements Consumer<Message<byte[]>>, SmartLifecycle {

    static final int BUFFER = 1000;

    private static final Log logger = LogFactory.getLog(LiveFeed.class);

    private final Map<Object, Subscriber> subscribers = new ConcurrentHashMap<>();

    private final String prefix;

    private volatile boolean running;

    public LiveFeed(String prefix) {
        this.prefix = prefix;
    }

    @Override
    public void start() {
        this.running = true;
    }

    /**
     * Ends every subscription before the web server's graceful shutdown, which would otherwise wait for the
     * open-ended SSE responses until its timeout.
     */
    @Override
    public void stop() {
        this.running = false;
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

    SseEmitter subscribeSse(Filter filter) {
        SseEmitter emitter = new SseEmitter(0L);
        Subscriber subscriber = new Subscriber(filter, json -> emitter.send(SseEmitter.event().name("event").data(json)),
                reason -> {
                    try {
                        emitter.send(SseEmitter.event().name("disconnect").data(reason));
                    }
                    catch (IOException | IllegalStateException ex) {
                        // already gone
                    }
                    emitter.complete();
                });
        this.subscribers.put(emitter, subscriber);
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

    void subscribeWebSocket(WebSocketSession session, Filter filter) {
        WebSocketSession bounded = new ConcurrentWebSocketSessionDecorator(session, 10_000, 1024 * 1024,
                ConcurrentWebSocketSessionDecorator.OverflowStrategy.TERMINATE);
        this.subscribers.put(session.getId(), new Subscriber(filter, json -> bounded.sendMessage(new TextMessage(json)),
                reason -> {
                    try {
                        session.close(CloseStatus.POLICY_VIOLATION.withReason(reason));
                    }
                    catch (IOException ex) {
                        // already gone
                    }
                }));
    }

    void unsubscribeWebSocket(WebSocketSession session) {
        remove(session.getId());
    }

    int subscriberCount() {
        return this.subscribers.size();
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

    /** Registers a client; {@code send} may block, {@code disconnect} is told why the client is dropped. */
    Object subscribe(Filter filter, Sender send, Consumer<String> disconnect) {
        Object id = new Object();
        this.subscribers.put(id, new Subscriber(filter, send, disconnect));
        return id;
    }

    @FunctionalInterface
    interface Sender {

        void send(String json) throws IOException;
    }

    /** One client: its own sender thread behind a bounded queue. */
    private final class Subscriber {

        private final Filter filter;

        private final ThreadPoolExecutor sender;

        private final Sender send;

        private final Consumer<String> disconnect;

        Subscriber(Filter filter, Sender send, Consumer<String> disconnect) {
            this.filter = filter;
            this.send = send;
            this.disconnect = disconnect;
            this.sender = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(BUFFER),
                    runnable -> {
                        Thread thread = new Thread(runnable, "live-feed-sender");
                        thread.setDaemon(true);
                        return thread;
                    });
        }

        void offer(String json) {
            try {
                this.sender.execute(() -> {
                    try {
                        this.send.send(json);
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

        private void drop(String reason) {
            if (LiveFeed.this.subscribers.values().remove(this)) {
                logger.info("Live feed client disconnected: " + reason);
                this.sender.shutdownNow();
                this.disconnect.accept(reason);
            }
        }
    }
}
