package io.flextime.events.api;

import java.net.URI;

import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.handler.TextWebSocketHandler;
import org.springframework.web.util.UriComponentsBuilder;

/** The brief's {@code ws://host:3010/events}: {@code ?types=...&streams=...} choose what is pushed. */
public class LiveFeedWebSocketHandler extends TextWebSocketHandler {

    private final LiveFeed liveFeed;

    public LiveFeedWebSocketHandler(LiveFeed liveFeed) {
        this.liveFeed = liveFeed;
    }

    @Override
    public void afterConnectionEstablished(WebSocketSession session) {
        URI uri = session.getUri();
        var query = uri == null ? null : UriComponentsBuilder.fromUri(uri).build().getQueryParams();
        this.liveFeed.subscribeWebSocket(session, LiveFeed.Filter.parse(
                query == null ? null : query.getFirst("types"), query == null ? null : query.getFirst("streams")));
    }

    @Override
    public void afterConnectionClosed(WebSocketSession session, CloseStatus status) {
        this.liveFeed.unsubscribeWebSocket(session);
    }
}
