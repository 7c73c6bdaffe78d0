package io.flextime.events.api;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;

import org.springframework.util.MultiValueMap;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.handler.TextWebSocketHandler;
import org.springframework.web.util.UriComponentsBuilder;
import org.springframework.web.util.UriUtils;

/**
 * The brief's {@code ws://host:3010/events}: {@code ?types=...&streams=...} choose what is pushed. A filter naming a
 * type or stream the feed never carries closes the socket at once with code 1007 and the reason.
 */
public class LiveFeedWebSocketHandler extends TextWebSocketHandler {

    /** What a close frame's reason may hold, in bytes (RFC 6455). */
    private static final int MAX_REASON = 123;

    private final LiveFeed liveFeed;

    private final FeedFilters filters;

    LiveFeedWebSocketHandler(LiveFeed liveFeed, FeedFilters filters) {
        this.liveFeed = liveFeed;
        this.filters = filters;
    }

    @Override
    public void afterConnectionEstablished(WebSocketSession session) throws IOException {
        LiveFeed.Filter filter;
        try {
            filter = this.filters.parse(parameter(session.getUri(), "types"), parameter(session.getUri(), "streams"));
        }
        catch (ApiProblem problem) {
            session.close(CloseStatus.BAD_DATA.withReason(asReason(problem.getMessage())));
            return;
        }
        this.liveFeed.subscribeWebSocket(session, filter);
    }

    @Override
    public void afterConnectionClosed(WebSocketSession session, CloseStatus status) {
        this.liveFeed.unsubscribeWebSocket(session);
    }

    /** A query parameter, decoded: a browser's {@code URLSearchParams} sends {@code game.*,system.*} as {@code %2C}. */
    private static String parameter(URI uri, String name) {
        if (uri == null) {
            return null;
        }
        MultiValueMap<String, String> query = UriComponentsBuilder.fromUri(uri).build().getQueryParams();
        String value = query.getFirst(name);
        return value == null ? null : UriUtils.decode(value, StandardCharsets.UTF_8);
    }

    private static String asReason(String message) {
        String ascii = message.replaceAll("[^\\x20-\\x7e]", "?");
        return ascii.length() <= MAX_REASON ? ascii : ascii.substring(0, MAX_REASON);
    }
}
