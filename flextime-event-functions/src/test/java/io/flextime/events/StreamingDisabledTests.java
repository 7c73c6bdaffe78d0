package io.flextime.events;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.cloud.stream.binding.BindingService;
import org.springframework.context.ConfigurableApplicationContext;

import io.flextime.events.publish.FlexTimeEventPublisher;
import io.flextime.events.publish.PublishResult;
import io.flextime.streams.testing.RedisServerExtension;

import static org.assertj.core.api.Assertions.assertThat;

/** The brief's rollback switch: ENABLE_EVENT_STREAMING=false. */
class StreamingDisabledTests {

    @RegisterExtension
    static final RedisServerExtension redisServer = new RedisServerExtension();

    @Test
    void publishingSaysDisabledNoConsumerStartsAndEventsInTheStreamsStay() {
        try (FlexTimeTestApps support = new FlexTimeTestApps(redisServer.server())) {
            support.redis().xadd("flextime:stream:schedule-events", Map.of("payload", "{}", "note", "already here"));
            ConfigurableApplicationContext app = support.start("--ENABLE_EVENT_STREAMING=false");

            PublishResult result = app.getBean(FlexTimeEventPublisher.class)
                    .publishScheduleCreated(Map.of("scheduleId", "s-1", "sport", "Football"));

            assertThat(result.status()).isEqualTo(PublishResult.STREAMING_DISABLED);
            assertThat(result.message()).contains("ENABLE_EVENT_STREAMING=false");
            assertThat(app.getBean(BindingService.class).getConsumerBindingNames()).isEmpty();
            assertThat(support.redis().xinfoGroups("flextime:stream:schedule-events")).isEmpty();
            assertThat(support.redis().xlen("flextime:stream:schedule-events")).isEqualTo(1);
            assertThat(support.redis().exists("flextime:stream:system-events")).isZero();
        }
    }
}
