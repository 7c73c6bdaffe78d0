package io.flextime.events;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.context.ConfigurableApplicationContext;

import io.flextime.events.publish.FlexTimeEventPublisher;
import io.flextime.events.publish.PublishResult;
import io.flextime.streams.testing.RedisServerExtension;

import static org.assertj.core.api.Assertions.assertThat;

/** "Published" means Redis confirmed the event with its record id; a binding that cannot confirm says so. */
class PublishConfirmationTests {

    @RegisterExtension
    static final RedisServerExtension redisServer = new RedisServerExtension();

    @Test
    void aStreamWhoseBindingDoesNotConfirmSendsIsReportedNotPublished() {
        try (FlexTimeTestApps apps = new FlexTimeTestApps(redisServer.server())) {
            // Pipelined: the record id would arrive later, on another thread.
            ConfigurableApplicationContext app = apps.start(
                    "--spring.cloud.stream.redis.bindings.schedule-events.producer.sync=false");
            FlexTimeEventPublisher publisher = app.getBean(FlexTimeEventPublisher.class);

            PublishResult unconfirmed = publisher.publishScheduleCreated(Map.of("scheduleId", "s-1", "sport", "Football"));
            PublishResult confirmed = publisher.publishGameCancelled(Map.of("gameId", "g-1", "scheduleId", "s-1",
                    "homeTeam", "kansas", "awayTeam", "baylor", "reason", "weather"));

            assertThat(unconfirmed.status()).isEqualTo(PublishResult.FAILED);
            assertThat(unconfirmed.message()).contains("no record id came back").contains("producer.sync: true");
            assertThat(confirmed.status()).isEqualTo(PublishResult.PUBLISHED);
            assertThat(confirmed.recordId()).isNotNull();
        }
    }
}
