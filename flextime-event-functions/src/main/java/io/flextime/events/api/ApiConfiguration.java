package io.flextime.events.api;

import java.util.function.Consumer;

import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.http.converter.json.JacksonJsonHttpMessageConverter;
import org.springframework.messaging.Message;
import org.springframework.web.socket.config.annotation.EnableWebSocket;
import org.springframework.web.socket.config.annotation.WebSocketConfigurer;
import org.springframework.web.socket.config.annotation.WebSocketHandlerRegistry;

import io.flextime.events.config.FlexTimeProperties;
import io.flextime.events.schema.EventSchemas;

/** The management API's infrastructure: key check and body limit before everything, names, the live feed. */
@Configuration(proxyBeanMethods = false)
@EnableWebSocket
public class ApiConfiguration implements WebSocketConfigurer {

    private final LiveFeed liveFeed;

    private final FeedFilters feedFilters;

    public ApiConfiguration(@Value("${spring.cloud.stream.redis.binder.prefix:flextime:stream:}") String prefix,
            EventSchemas schemas) {
        this.liveFeed = new LiveFeed(prefix);
        this.feedFilters = new FeedFilters(prefix, schemas.types().keySet());
    }

    @Bean
    LiveFeed liveFeedSubscribers() {
        return this.liveFeed;
    }

    @Bean
    FeedFilters feedFilters() {
        return this.feedFilters;
    }

    /** The binding {@code liveFeed-in-0} (no group) feeds every arriving event to the live feed. */
    @Bean
    Consumer<Message<byte[]>> liveFeed() {
        return this.liveFeed::accept;
    }

    @Bean
    StreamNames streamNames(@Value("${spring.cloud.stream.redis.binder.prefix:flextime:stream:}") String prefix) {
        return new StreamNames(prefix);
    }

    /**
     * Request bodies are read strictly: a field the API does not know is a 400 naming it, not dropped. Dropped, a
     * misspelt {@code stream} in a group reset reset the group on every stream, and a misspelt {@code eventId} made a
     * client's retry a new event. Only the HTTP converter is strict: events read from streams still skip fields they
     * do not know, which a newer producer may add.
     */
    @Bean
    JacksonJsonHttpMessageConverter strictJsonConverter(JsonMapper jsonMapper) {
        return new JacksonJsonHttpMessageConverter(
                jsonMapper.rebuild().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build());
    }

    @Bean
    ProblemWriter problemWriter(JsonMapper jsonMapper) {
        return new ProblemWriter(jsonMapper);
    }

    @Bean
    FilterRegistrationBean<ApiKeyFilter> apiKeyFilter(FlexTimeProperties properties, ProblemWriter problems) {
        FilterRegistrationBean<ApiKeyFilter> registration = new FilterRegistrationBean<>(
                new ApiKeyFilter(properties.getApiKey(), problems));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
        return registration;
    }

    @Bean
    FilterRegistrationBean<BodySizeLimitFilter> bodySizeLimitFilter(FlexTimeProperties properties, ProblemWriter problems) {
        FilterRegistrationBean<BodySizeLimitFilter> registration = new FilterRegistrationBean<>(
                new BodySizeLimitFilter(properties.getMaxBodyBytes(), problems));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 1);
        return registration;
    }

    @Override
    public void registerWebSocketHandlers(WebSocketHandlerRegistry registry) {
        registry.addHandler(new LiveFeedWebSocketHandler(this.liveFeed, this.feedFilters), "/events").setAllowedOriginPatterns("*");
    }
}
