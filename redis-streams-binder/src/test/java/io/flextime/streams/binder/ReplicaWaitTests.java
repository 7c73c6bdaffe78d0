package io.flextime.streams.binder;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import io.lettuce.core.KillArgs;
import io.lettuce.core.Range;
import io.lettuce.core.RedisClient;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.cloud.stream.binder.Binding;
import org.springframework.cloud.stream.binder.ExtendedProducerProperties;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.integration.channel.DirectChannel;
import org.springframework.messaging.MessageChannel;
import org.springframework.messaging.MessageDeliveryException;
import org.springframework.messaging.support.ErrorMessage;
import org.springframework.messaging.support.MessageBuilder;

import io.flextime.streams.binder.connection.ReplicasNotConfirmedException;
import io.flextime.streams.binder.connection.StreamConnection;
import io.flextime.streams.binder.properties.RedisProducerProperties;
import io.flextime.streams.testing.RedisServer;
import io.flextime.streams.testing.RedisServerOptions;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** {@code wait-replicas}: a send counts once a replica has it, and fails, saying so, when none confirms in time. */
class ReplicaWaitTests {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    private RedisServer master;

    private RedisServer replica;

    private RedisTestBinder binder;

    @BeforeEach
    void masterWithOneReplica() {
        // Without the delay, Redis waits 5 s for more replicas before the first full sync.
        this.master = RedisServer.startProcess(RedisServerOptions.defaults().argument("--repl-diskless-sync-delay", "0"));
        this.replica = RedisServer.startProcess(RedisServerOptions.defaults()
                .argument("--replicaof", this.master.host(), Integer.toString(this.master.port()))
                .argument("--enable-debug-command", "local"));
        // "online" on the master's side: only then does WAIT count the replica (after a diskless sync, once the
        // replica's first acknowledgement has arrived).
        await().atMost(TIMEOUT).until(() -> redis(this.master, commands -> commands.info("replication"))
                .contains("state=online"));
        this.binder = new RedisTestBinder(this.master, "replicated-" + UUID.randomUUID() + ":");
    }

    @AfterEach
    void stop() {
        this.binder.close();
        this.replica.close();
        this.master.close();
    }

    @Test
    void aSyncSendReturnsOnceAReplicaHasItAndFailsWhenNoneConfirms() {
        Producer producer = syncProducer(Duration.ofSeconds(1), Duration.ofSeconds(10));

        producer.send("confirmed");
        assertThat(payloads(this.replica, this.binder.key("bookings"))).containsExactly("confirmed");

        this.replica.stop();
        assertThatThrownBy(() -> producer.send("unconfirmed"))
                .isInstanceOf(MessageDeliveryException.class).rootCause()
                .isInstanceOf(ReplicasNotConfirmedException.class)
                .hasMessageContaining("0 of the 1 required replicas confirmed it").hasMessageContaining("sending it again stores it twice");
        assertThat(payloads(this.master, this.binder.key("bookings"))).containsExactly("confirmed", "unconfirmed");
        producer.binding().unbind();
    }

    /** A sync send that gives up before the WAIT answers still says the master has the entry, and under which id. */
    @Test
    void aSyncSendThatStopsWaitingForReplicasNamesTheStoredEntry() {
        this.replica.stop();
        Producer producer = syncProducer(Duration.ofSeconds(10), Duration.ofMillis(300));

        assertThatThrownBy(() -> producer.send("impatient"))
                .isInstanceOf(MessageDeliveryException.class).cause()
                .isInstanceOf(ReplicasNotConfirmedException.class)
                .hasMessageContaining("the send stopped waiting before the replicas confirmed it")
                .hasMessageContaining("Stored on the master as ");
        assertThat(payloads(this.master, this.binder.key("bookings"))).containsExactly("impatient");
        producer.binding().unbind();
    }

    @Test
    void aPipelinedSendThatNoReplicaConfirmsReachesTheErrorChannel() {
        this.replica.stop();
        DirectChannel output = new DirectChannel();
        ExtendedProducerProperties<RedisProducerProperties> properties = waitingForOneReplica(Duration.ofSeconds(1));
        properties.setErrorChannelEnabled(true);
        properties.populateBindingName("bookingsOut");
        Binding<MessageChannel> binding = this.binder.bindProducer("bookings", output, properties);
        List<ErrorMessage> errors = new CopyOnWriteArrayList<>();
        this.binder.errorChannel("bookingsOut").subscribe(message -> errors.add((ErrorMessage) message));

        output.send(MessageBuilder.withPayload("unconfirmed".getBytes(UTF_8)).build());

        await().atMost(TIMEOUT).until(() -> !errors.isEmpty());
        assertThat(errors.get(0).getPayload()).rootCause().isInstanceOf(ReplicasNotConfirmedException.class);
        assertThat(errors.get(0).getOriginalMessage().getPayload()).isEqualTo("unconfirmed".getBytes(UTF_8));
        binding.unbind();
    }

    /**
     * WAIT blocks the connection it is sent on until it answers. The binder's shared connection (acknowledgements,
     * ownership refreshes, dead letters) must not wait with it: waiting producers have a connection of their own.
     */
    @Test
    void whileASendWaitsForAMissingReplicaTheSharedConnectionStillAnswers() throws Exception {
        this.replica.stop();
        Producer producer = syncProducer(Duration.ofSeconds(30), Duration.ofSeconds(60));
        CompletableFuture<Void> send = CompletableFuture.runAsync(() -> producer.send("waiting"));
        await().atMost(TIMEOUT).until(() -> waitingClient(this.master) != null);

        StreamConnection shared = this.binder.connector().shared();
        assertThat(shared.await(shared.async().ping(), Duration.ofSeconds(5))).isEqualTo("PONG");
        assertThat(send).isNotDone();

        this.replica.restart();
        send.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        assertThat(payloads(this.replica, this.binder.key("bookings"))).containsExactly("waiting");
        producer.binding().unbind();
    }

    /**
     * Lettuce sends an unanswered command again after it reconnects. A WAIT sent again on the new connection counts
     * that connection's writes, none of them the send's, and answers at once with every connected replica: that must
     * not confirm the send.
     */
    @Test
    void aWaitCutOffByADroppedConnectionConfirmsNothing() {
        // The binder's own factory fails unanswered commands when the connection drops; an application's factory
        // (Spring Data's defaults) sends them again after reconnecting, which is the case at stake here.
        this.binder.close();
        LettuceConnectionFactory applicationFactory = new LettuceConnectionFactory(
                new RedisStandaloneConfiguration(this.master.host(), this.master.port()));
        applicationFactory.afterPropertiesSet();
        applicationFactory.start();
        this.binder = new RedisTestBinder(applicationFactory, "replicated-" + UUID.randomUUID() + ":");
        Producer producer = syncProducer(Duration.ofSeconds(30), Duration.ofSeconds(60));
        producer.send("confirmed");

        try (RedisClient client = RedisClient.create(this.replica.uri().toString());
                StatefulRedisConnection<String, String> replicaConnection = client.connect()) {
            // The replica stops reading its master for a while (not awaited), so the next send's WAIT waits.
            replicaConnection.async().dispatch(CommandType.DEBUG, new StatusOutput<>(StringCodec.UTF8),
                    new CommandArgs<>(StringCodec.UTF8).add("SLEEP").add(3));
            CompletableFuture<Void> send = CompletableFuture.runAsync(() -> producer.send("cut-off"));
            long waiting = await().atMost(TIMEOUT).until(() -> waitingClient(this.master), Objects::nonNull);

            redis(this.master, commands -> commands.clientKill(KillArgs.Builder.id(waiting)));

            assertThatThrownBy(() -> send.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS))
                    .rootCause().isInstanceOf(ReplicasNotConfirmedException.class)
                    .hasMessageContaining("the connection dropped before WAIT answered");
        }
        producer.binding().unbind();
    }

    /** A bound sync producer to destination {@code bookings} that waits for one replica. */
    private Producer syncProducer(Duration waitTimeout, Duration sendTimeout) {
        DirectChannel output = new DirectChannel();
        ExtendedProducerProperties<RedisProducerProperties> properties = waitingForOneReplica(waitTimeout);
        properties.getExtension().setSync(true);
        properties.getExtension().setSendTimeout(sendTimeout);
        return new Producer(output, this.binder.bindProducer("bookings", output, properties));
    }

    private record Producer(MessageChannel output, Binding<MessageChannel> binding) {

        void send(String payload) {
            this.output.send(MessageBuilder.withPayload(payload.getBytes(UTF_8)).build());
        }
    }

    private static ExtendedProducerProperties<RedisProducerProperties> waitingForOneReplica(Duration waitTimeout) {
        ExtendedProducerProperties<RedisProducerProperties> properties =
                new ExtendedProducerProperties<>(new RedisProducerProperties());
        properties.getExtension().setWaitReplicas(1);
        properties.getExtension().setWaitTimeout(waitTimeout);
        return properties;
    }

    /** The id of the master's client blocked in WAIT, or {@code null}. */
    private static Long waitingClient(RedisServer server) {
        return redis(server, RedisCommands::clientList).lines().filter(line -> line.contains("cmd=wait")).findFirst()
                .map(line -> Long.parseLong(line.substring(3, line.indexOf(' ')))).orElse(null);
    }

    private static List<String> payloads(RedisServer server, String key) {
        return redis(server, commands -> commands.xrange(key, Range.create("-", "+"))).stream()
                .map(StreamMessage::getBody).map(body -> body.get("payload")).toList();
    }

    /** One command on a connection of its own. */
    private static <T> T redis(RedisServer server, Function<RedisCommands<String, String>, T> command) {
        try (RedisClient client = RedisClient.create(server.uri().toString());
                StatefulRedisConnection<String, String> connection = client.connect()) {
            return command.apply(connection.sync());
        }
    }
}
