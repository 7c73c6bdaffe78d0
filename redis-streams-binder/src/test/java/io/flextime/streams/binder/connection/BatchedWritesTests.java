package io.flextime.streams.binder.connection;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import io.lettuce.core.KillArgs;
import io.lettuce.core.Range;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.output.KeyValueOutput;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.protocol.Command;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import io.lettuce.core.protocol.RedisCommand;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.tracing.TraceContext;
import io.lettuce.core.tracing.TraceContextProvider;
import io.lettuce.core.tracing.Tracer;
import io.lettuce.core.tracing.TracerProvider;
import io.lettuce.core.tracing.Tracing;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.flextime.streams.testing.RedisServerExtension;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Batched writes on a real connection. The first command of each test is a {@code BLPOP} on a list nobody has
 * pushed to yet: its batch stays out until the test pushes, which makes "written while a batch is out"
 * something a test can hold still.
 */
class BatchedWritesTests {

    @RegisterExtension
    static final RedisServerExtension redis = new RedisServerExtension();

    private RedisClient client;

    private StatefulRedisConnection<byte[], byte[]> connection;

    private StatefulRedisConnection<byte[], byte[]> admin;

    /** The size of every batch handed to Lettuce, in order. */
    private final List<Integer> batches = new CopyOnWriteArrayList<>();

    private BatchedWrites writes;

    /** Thrown by the next {@code dispatch(Collection)} instead of writing, when set. */
    private volatile Error nextDispatchFails;

    private final String prefix = "batched-" + UUID.randomUUID() + ":";

    @BeforeEach
    void connect() {
        this.client = RedisClient.create(redis.server().uri().toString());
        this.connection = this.client.connect(ByteArrayCodec.INSTANCE);
        this.admin = this.client.connect(ByteArrayCodec.INSTANCE);
        this.writes = new BatchedWrites(recordingBatches(this.connection));
    }

    @AfterEach
    void close() {
        this.client.shutdown();
    }

    @Test
    void commandsWrittenWhileABatchIsOutGoTogetherWhenItsLastReplyArrives() throws Exception {
        RedisFuture<?> gate = this.writes.write(blpop(key("gate")), null);
        List<RedisFuture<String>> sends = new ArrayList<>();
        for (int i = 0; i < 99; i++) {
            sends.add(this.writes.write(xadd(key("stream"), i), null));
        }
        assertThat(this.batches).containsExactly(1);

        this.admin.sync().lpush(key("gate"), "open".getBytes(UTF_8));

        assertThat(gate.get(10, TimeUnit.SECONDS)).isNotNull();
        for (RedisFuture<String> send : sends) {
            assertThat(send.get(10, TimeUnit.SECONDS)).isNotNull();
        }
        assertThat(this.batches).containsExactly(1, 99);
        assertThat(sequences(key("stream"))).isEqualTo(range(0, 99));
    }

    @Test
    void aCommandWrittenWhileNothingIsOutGoesAtOnce() throws Exception {
        for (int i = 0; i < 3; i++) {
            assertThat(this.writes.write(xadd(key("stream"), i), null).get(10, TimeUnit.SECONDS)).isNotNull();
        }
        assertThat(this.batches).containsExactly(1, 1, 1);
    }

    @Test
    void writesFromManyThreadsAllLandInEachThreadsOrder() throws Exception {
        int threads = 4;
        int perThread = 2_000;
        List<Thread> senders = new ArrayList<>();
        List<RedisFuture<String>> sends = new CopyOnWriteArrayList<>();
        for (int t = 0; t < threads; t++) {
            byte[] stream = key("stream-" + t);
            Thread sender = new Thread(() -> {
                for (int i = 0; i < perThread; i++) {
                    sends.add(this.writes.write(xadd(stream, i), null));
                }
            });
            senders.add(sender);
            sender.start();
        }
        for (Thread sender : senders) {
            sender.join();
        }
        for (RedisFuture<String> send : sends) {
            assertThat(send.get(10, TimeUnit.SECONDS)).isNotNull();
        }
        for (int t = 0; t < threads; t++) {
            assertThat(sequences(key("stream-" + t))).isEqualTo(range(0, perThread));
        }
        assertThat(this.batches.stream().mapToInt(Integer::intValue).sum()).isEqualTo(threads * perThread);
    }

    @Test
    void aDroppedConnectionLosesNoCommandWaitingForTheNextBatch() throws Exception {
        long id = this.connection.sync().clientId();
        RedisFuture<?> gate = this.writes.write(blpop(key("gate")), null);
        List<RedisFuture<String>> sends = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            sends.add(this.writes.write(xadd(key("stream"), i), null));
        }

        this.admin.sync().clientKill(KillArgs.Builder.id(id));
        // Lettuce reconnects and sends the BLPOP again, which answers once the list has an element.
        this.admin.sync().lpush(key("gate"), "open".getBytes(UTF_8));

        assertThat(gate.get(10, TimeUnit.SECONDS)).isNotNull();
        for (RedisFuture<String> send : sends) {
            assertThat(send.get(10, TimeUnit.SECONDS)).isNotNull();
        }
        assertThat(sequences(key("stream"))).isEqualTo(range(0, 10));
    }

    @Test
    void aClosedConnectionFailsEveryWriteInsteadOfLeavingItWaiting() {
        this.connection.close();

        for (int i = 0; i < 2; i++) {
            RedisFuture<String> send = this.writes.write(xadd(key("stream"), i), null);
            assertThatThrownBy(() -> send.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .hasMessageContaining("closed");
        }
    }

    @Test
    void aBatchTheConnectionThrowsOnFailsItsWritesAndFreesTheTurnForTheNext() throws Exception {
        this.nextDispatchFails = new AssertionError("refused");

        RedisFuture<String> refused = this.writes.write(xadd(key("stream"), 0), null);
        assertThatThrownBy(() -> refused.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .hasMessageContaining("refused");

        assertThat(this.writes.write(xadd(key("stream"), 1), null).get(10, TimeUnit.SECONDS)).isNotNull();
        assertThat(sequences(key("stream"))).containsExactly(1);
    }

    /**
     * Writes that must reach replicas share one WAIT at the end of their batch. This Redis has none: WAIT answers 0
     * after its timeout, and each such write fails saying it is stored on the master; the others succeed.
     */
    @Test
    void writesWaitingForReplicasShareOneWaitAfterTheirBatchAndFailWhenTooFewConfirm() throws Exception {
        RedisFuture<?> gate = this.writes.write(blpop(key("gate")), null);
        ReplicaWait oneReplica = new ReplicaWait(1, java.time.Duration.ofMillis(50));
        List<RedisFuture<String>> confirmed = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            confirmed.add(this.writes.write(xadd(key("stream"), i), oneReplica));
        }
        RedisFuture<String> unconfirmed = this.writes.write(xadd(key("stream"), 3), null);

        this.admin.sync().lpush(key("gate"), "open".getBytes(UTF_8));

        assertThat(gate.get(10, TimeUnit.SECONDS)).isNotNull();
        assertThat(unconfirmed.get(10, TimeUnit.SECONDS)).isNotNull();
        for (RedisFuture<String> send : confirmed) {
            assertThatThrownBy(() -> send.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(ReplicasNotConfirmedException.class)
                    .hasMessageContaining("0 of the 1 required replicas");
        }
        assertThat(this.batches).as("the four writes and one WAIT in one batch").containsExactly(1, 5);
        assertThat(sequences(key("stream"))).isEqualTo(range(0, 4));
    }

    /**
     * A batch is dispatched by whichever thread holds the turn (here Lettuce's I/O thread, on the gate's reply),
     * yet each command's span must belong to the trace of the thread that sent it.
     */
    @Test
    void withLettuceTracingEachCommandIsTracedInItsSendersContext() throws Exception {
        RecordingTracing tracing = new RecordingTracing();
        ClientResources resources = ClientResources.builder().tracing(tracing).build();
        RedisClient tracedClient = RedisClient.create(resources, redis.server().uri().toString());
        try {
            BatchedWrites traced = new BatchedWrites(tracedClient.connect(ByteArrayCodec.INSTANCE));
            RedisFuture<?> gate = tracing.in("gate", () -> traced.write(blpop(key("gate")), null));
            List<RedisFuture<String>> sends = new CopyOnWriteArrayList<>();
            for (String sender : List.of("a", "b")) {
                Thread thread = new Thread(() -> sends.add(tracing.in(sender, () -> traced.write(xadd(key("stream"), 0), null))));
                thread.start();
                thread.join();
            }

            this.admin.sync().lpush(key("gate"), "open".getBytes(UTF_8));

            assertThat(gate.get(10, TimeUnit.SECONDS)).isNotNull();
            for (RedisFuture<String> send : sends) {
                assertThat(send.get(10, TimeUnit.SECONDS)).isNotNull();
            }
            // The connection's own handshake (HELLO, CLIENT SETINFO) is traced too, outside any sender's trace.
            assertThat(tracing.spans).filteredOn(span -> span.startsWith("BLPOP") || span.startsWith("XADD"))
                    .containsExactlyInAnyOrder("BLPOP in gate", "XADD in a", "XADD in b");
        }
        finally {
            tracedClient.shutdown();
            resources.shutdown();
        }
    }

    private byte[] key(String name) {
        return (this.prefix + name).getBytes(UTF_8);
    }

    private List<Integer> sequences(byte[] stream) {
        return this.admin.sync().xrange(stream, Range.create("-", "+")).stream()
                .map(StreamMessage::getBody)
                .map(body -> Integer.parseInt(new String(body.values().iterator().next(), UTF_8)))
                .toList();
    }

    private static List<Integer> range(int from, int to) {
        List<Integer> values = new ArrayList<>();
        for (int i = from; i < to; i++) {
            values.add(i);
        }
        return values;
    }

    private static Command<byte[], byte[], String> xadd(byte[] stream, int sequence) {
        CommandArgs<byte[], byte[]> args = new CommandArgs<>(ByteArrayCodec.INSTANCE).addKey(stream).add("*")
                .add("seq".getBytes(UTF_8)).add(Integer.toString(sequence).getBytes(UTF_8));
        return new Command<>(CommandType.XADD, new StatusOutput<>(ByteArrayCodec.INSTANCE), args);
    }

    private static Command<byte[], byte[], ?> blpop(byte[] list) {
        CommandArgs<byte[], byte[]> args = new CommandArgs<>(ByteArrayCodec.INSTANCE).addKey(list).add(0);
        return new Command<>(CommandType.BLPOP, new KeyValueOutput<>(ByteArrayCodec.INSTANCE), args);
    }

    /** The real connection, with each {@code dispatch(Collection)} noted on its way through. */
    @SuppressWarnings("unchecked")
    private StatefulConnection<byte[], byte[]> recordingBatches(StatefulConnection<byte[], byte[]> real) {
        return (StatefulConnection<byte[], byte[]>) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] { StatefulConnection.class }, (proxy, method, args) -> {
                    if (method.getName().equals("dispatch") && args[0] instanceof Collection<?> batch) {
                        Error failure = this.nextDispatchFails;
                        if (failure != null) {
                            this.nextDispatchFails = null;
                            throw failure;
                        }
                        this.batches.add(batch.size());
                    }
                    try {
                        return method.invoke(real, args);
                    }
                    catch (InvocationTargetException ex) {
                        throw ex.getCause();
                    }
                });
    }

    /** Lettuce's tracing SPI, recording each span as "command in context"; a context is a name per thread. */
    private static final class RecordingTracing implements Tracing {

        private final ThreadLocal<String> current = new ThreadLocal<>();

        final List<String> spans = new CopyOnWriteArrayList<>();

        <T> T in(String context, Supplier<T> work) {
            this.current.set(context);
            try {
                return work.get();
            }
            finally {
                this.current.remove();
            }
        }

        @Override
        public TraceContextProvider initialTraceContextProvider() {
            return () -> {
                String context = this.current.get();
                return context == null ? TraceContext.EMPTY : new Named(context);
            };
        }

        @Override
        public TracerProvider getTracerProvider() {
            return () -> new Tracer() {

                @Override
                public Span nextSpan() {
                    return nextSpan(TraceContext.EMPTY);
                }

                @Override
                public Span nextSpan(TraceContext context) {
                    return new RecordingSpan(context instanceof Named named ? named.name() : "no context");
                }
            };
        }

        @Override
        public boolean isEnabled() {
            return true;
        }

        @Override
        public boolean includeCommandArgsInSpanTags() {
            return false;
        }

        @Override
        public Endpoint createEndpoint(SocketAddress socketAddress) {
            return new Endpoint() {
            };
        }

        private record Named(String name) implements TraceContext {
        }

        private final class RecordingSpan extends Tracer.Span {

            private final String context;

            RecordingSpan(String context) {
                this.context = context;
            }

            @Override
            public Tracer.Span start(RedisCommand<?, ?, ?> command) {
                RecordingTracing.this.spans.add(command.getType() + " in " + this.context);
                return this;
            }

            @Override
            public Tracer.Span name(String name) {
                return this;
            }

            @Override
            public Tracer.Span annotate(String value) {
                return this;
            }

            @Override
            public Tracer.Span tag(String key, String value) {
                return this;
            }

            @Override
            public Tracer.Span error(Throwable throwable) {
                return this;
            }

            @Override
            public Tracer.Span remoteEndpoint(Endpoint endpoint) {
                return this;
            }

            @Override
            public void finish() {
            }
        }
    }
}
