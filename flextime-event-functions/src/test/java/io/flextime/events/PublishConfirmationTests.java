package io.flextime.events;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.context.ConfigurableApplicationContext;

import io.flextime.events.publish.BatchResult;
import io.flextime.events.publish.EventRequest;
import io.flextime.events.publish.FlexTimeEventPublisher;
import io.flextime.events.publish.PublishResult;
import io.flextime.streams.testing.RedisServerExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * "Published" means Redis confirmed the event with its record id; a binding that cannot confirm says so, and a batch
 * does not wait a send-timeout for every event while Redis does not answer.
 */
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

    @Test
    void aBatchThatRunsOutOfTimeFailsTheRestWithoutSendingThem() {
        try (FlexTimeTestApps apps = new FlexTimeTestApps(redisServer.server())) {
            ConfigurableApplicationContext app = apps.start("--flextime.batch-timeout=1s",
                    "--spring.cloud.stream.redis.bindings.schedule-events.producer.send-timeout=300ms");
            FlexTimeEventPublisher publisher = app.getBean(FlexTimeEventPublisher.class);
            List<EventRequest> batch = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                batch.add(EventRequest.of("schedule.created", Map.of("scheduleId", "s-" + i, "sport", "Football")));
            }
            // Redis holds every write: each send waits its send-timeout.
            client(apps, "PAUSE", "10000", "WRITE");
            BatchResult result;
            try {
                result = publisher.publishBatch(batch);
            }
            finally {
                client(apps, "UNPAUSE");
            }

            assertThat(result.published()).isZero();
            assertThat(result.results().get(0).message()).contains("Redis did not confirm the event");
            assertThat(result.results().get(19).message()).contains("the batch ran out of its flextime.batch-timeout");
        }
    }

    /** A CLIENT subcommand Lettuce has no method for ({@code PAUSE ... WRITE}, {@code UNPAUSE}). */
    private static void client(FlexTimeTestApps apps, String... arguments) {
        CommandArgs<String, String> args = new CommandArgs<>(StringCodec.UTF8);
        for (String argument : arguments) {
            args.add(argument);
        }
        apps.redis().dispatch(CommandType.CLIENT, new StatusOutput<>(StringCodec.UTF8), args);
    }
}
