package io.flextime.streams.binder.outbound;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.lettuce.core.RedisException;
import io.lettuce.core.RedisFuture;

import org.springframework.cloud.stream.binder.BinderHeaders;
import org.springframework.cloud.stream.binder.PartitionHandler;
import org.springframework.context.Lifecycle;
import io.micrometer.observation.ObservationRegistry;

import org.springframework.integration.handler.AbstractMessageHandler;
import org.springframework.integration.support.MutableMessage;
import org.springframework.integration.support.management.observation.DefaultMessageSenderObservationConvention;
import org.springframework.integration.support.management.observation.IntegrationObservation;
import org.springframework.integration.support.management.observation.MessageSenderContext;
import org.springframework.integration.support.ErrorMessageStrategy;
import org.springframework.integration.support.ErrorMessageUtils;
import org.springframework.messaging.Message;
import org.springframework.messaging.MessageChannel;
import org.springframework.messaging.MessageDeliveryException;
import org.springframework.messaging.MessageHandlingException;
import org.springframework.messaging.support.MessageBuilder;

import io.flextime.streams.binder.connection.RedisStreamsConnector;
import io.flextime.streams.binder.connection.ReplicaWait;
import io.flextime.streams.binder.connection.ReplicasNotConfirmedException;
import io.flextime.streams.binder.connection.StreamConnection;
import io.flextime.streams.binder.metrics.BinderMetrics;
import io.flextime.streams.binder.properties.RedisProducerProperties;
import io.flextime.streams.binder.provisioning.RedisStreamDestination;
import io.flextime.streams.binder.support.ReaderThreads;
import io.flextime.streams.binder.support.RedisStreamHeaders;
import io.flextime.streams.binder.support.StreamEntryCodec;

/**
 * Writes each message with one {@code XADD} to its stream key (the partition's key when the producer is
 * partitioned: from {@code scst_partition}, or picked here when native encoding left it unset).
 *
 * <p>By default sends are pipelined: the caller does not wait for Redis, at most {@code maxInFlight}
 * replies are outstanding, and a failed {@code XADD} is published to the binding's error channel. With
 * {@code sync} the caller waits and sees a failure as an exception. Either way the record id of each stored
 * message goes to the {@code recordMetadataChannel}, if one is named.
 *
 * <p>Application code never runs on Lettuce's I/O thread: error-channel subscribers and the metadata channel
 * of pipelined sends are called on one thread of this handler's own. Blocking there would stall every reply on
 * the shared connection, and a subscriber that sends again and waits would wait for itself. The send's
 * in-flight permit is given back only after that call, so slow subscribers hold back senders instead of
 * queueing without bound.
 */
public class RedisStreamMessageHandler extends AbstractMessageHandler implements Lifecycle {

    /** How long the callback thread waits for work before it ends. */
    private static final Duration CALLBACK_THREAD_IDLE = Duration.ofSeconds(10);

    /** Set while a send callback runs on a handler's callback thread (see {@link #acquirePermit}). */
    private static final ThreadLocal<Boolean> ON_CALLBACK_THREAD = new ThreadLocal<>();

    private final RedisStreamsConnector connector;

    private final StreamEntryCodec codec;

    private final StreamKey[] keys;

    private final boolean partitioned;

    private final RedisProducerProperties properties;

    private final Semaphore inFlight;

    private final MessageChannel errorChannel;

    private final ErrorMessageStrategy errorMessageStrategy;

    private final BinderMetrics metrics;

    /** What each send waits for besides the master's reply; {@code null} when nothing. */
    private final ReplicaWait replicaWait;

    private MessageChannel recordMetadataChannel;

    private ObservationRegistry observations = ObservationRegistry.NOOP;

    /**
     * One thread for the callbacks of pipelined sends, in reply order. It ends after {@link #CALLBACK_THREAD_IDLE}
     * without work and starts again with the next callback, so it needs no start or stop: a producer that sends
     * without having been started ({@code auto-startup: false}) or after a stop still reports its failures.
     */
    private final ThreadPoolExecutor callbacks;

    private PipelinedSendsDrain drain;

    private PartitionHandler partitions;

    private volatile boolean running;

    public RedisStreamMessageHandler(RedisStreamsConnector connector, StreamEntryCodec codec,
            RedisStreamDestination destination, RedisProducerProperties properties, MessageChannel errorChannel,
            ErrorMessageStrategy errorMessageStrategy, BinderMetrics metrics) {
        this.connector = connector;
        this.codec = codec;
        this.keys = destination.keys().stream().map(name -> new StreamKey(name, StreamTrimming.of(properties)))
                .toArray(StreamKey[]::new);
        this.partitioned = destination.partitioned();
        this.properties = properties;
        if (properties.getMaxInFlight() < 1) {
            throw new IllegalArgumentException("maxInFlight on a Redis producer must be at least 1 (sends awaiting "
                    + "Redis' reply at once), got " + properties.getMaxInFlight());
        }
        if (properties.getSendTimeout() == null || properties.getSendTimeout().toMillis() < 1) {
            // Lettuce waits for ever on a timeout of 0, while the in-flight bound would give up at once.
            throw new IllegalArgumentException("sendTimeout on a Redis producer must be at least 1 ms, got "
                    + properties.getSendTimeout());
        }
        this.inFlight = new Semaphore(properties.getMaxInFlight());
        this.replicaWait = replicaWait(properties);
        this.errorChannel = errorChannel;
        this.errorMessageStrategy = errorMessageStrategy;
        this.metrics = metrics;
        this.callbacks = callbackExecutor();
    }

    private ThreadPoolExecutor callbackExecutor() {
        AtomicInteger threads = new AtomicInteger();
        ThreadPoolExecutor executor = new ThreadPoolExecutor(1, 1, CALLBACK_THREAD_IDLE.toMillis(), TimeUnit.MILLISECONDS,
                new LinkedBlockingQueue<>(), runnable -> {
                    // Named when the thread starts: the component name is set after construction.
                    Thread thread = new Thread(runnable, "redis-streams-send-callbacks." + getComponentName() + "-"
                            + threads.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
        executor.allowCoreThreadTimeOut(true);
        return executor;
    }

    private static ReplicaWait replicaWait(RedisProducerProperties properties) {
        if (properties.getWaitReplicas() < 0) {
            throw new IllegalArgumentException("waitReplicas on a Redis producer must be 0 (the master's reply is "
                    + "enough) or more, got " + properties.getWaitReplicas());
        }
        if (properties.getWaitReplicas() == 0) {
            return null;
        }
        Duration timeout = properties.getWaitTimeout();
        if (timeout == null || timeout.toMillis() < 1) {
            throw new IllegalArgumentException("waitTimeout on a Redis producer must be at least 1 ms (WAIT 0 would wait "
                    + "for ever), got " + timeout);
        }
        return new ReplicaWait(properties.getWaitReplicas(), timeout);
    }

    public void setRecordMetadataChannel(MessageChannel recordMetadataChannel) {
        this.recordMetadataChannel = recordMetadataChannel;
    }

    /**
     * Picks the partition of a message that arrives without {@code scst_partition}. Spring Cloud Stream sets that
     * header before the binder, except for a function's output binding with native encoding: its partitioning
     * step belongs to the output conversion that native encoding skips.
     */
    public void setPartitionHandler(PartitionHandler partitions) {
        this.partitions = partitions;
    }

    /**
     * With a real registry (Micrometer Tracing on the class path), every send is a producer observation, and
     * the trace context it propagates (W3C {@code traceparent}) lands in the entry as a header field.
     */
    public void setObservations(ObservationRegistry observations) {
        this.observations = observations;
    }

    /**
     * Registers with the application's drain, which waits for this producer's replies before its factory stops;
     * {@code null} (a binder with a factory of its own) means none.
     */
    public void setDrain(PipelinedSendsDrain drain) {
        this.drain = drain;
    }

    /** Connects, so that an unreachable Redis fails the binding (which the framework then retries). */
    @Override
    public void start() {
        connection();
        if (this.drain != null) {
            this.drain.register(this);
        }
        this.running = true;
    }

    /**
     * Waits, within the send timeout, until every pipelined send has its reply (and its callbacks ran).
     * @return whether none is outstanding
     */
    boolean awaitReplies() {
        int permits = this.properties.getMaxInFlight();
        try {
            if (this.inFlight.tryAcquire(permits, this.properties.getSendTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
                this.inFlight.release(permits);
                return true;
            }
            logger.warn("Stopping with " + (permits - this.inFlight.availablePermits())
                    + " sends still awaiting Redis' reply; their outcome goes to the error channel");
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
        return false;
    }

    @Override
    public void stop() {
        this.running = false;
        awaitReplies();
        if (this.drain != null) {
            this.drain.unregister(this);
        }
    }

    @Override
    public boolean isRunning() {
        return this.running;
    }

    @Override
    protected void handleMessageInternal(Message<?> message) {
        if (this.observations.isNoop()) {
            send(message);
            return;
        }
        MutableMessage<?> traced = MutableMessage.of(message);
        IntegrationObservation.PRODUCER.observation(null, DefaultMessageSenderObservationConvention.INSTANCE,
                () -> new MessageSenderContext(traced, getComponentName()), this.observations)
                .observe(() -> send(traced));
    }

    private void send(Message<?> message) {
        StreamKey key = keyFor(message);
        byte[][] fields = this.codec.encode(message);
        StreamConnection current = connection();
        if (this.properties.isSync()) {
            sendAndWait(current, key, fields, message);
        }
        else {
            sendPipelined(current, key, fields, message);
        }
    }

    /** A send the replicas did not confirm is in the stream all the same: its id still tells trimming the time. */
    private static void storedAnyway(StreamKey key, Throwable failure) {
        if (failure instanceof ReplicasNotConfirmedException unconfirmed) {
            key.trimming().added(unconfirmed.id());
        }
    }

    /** A producer that waits for replicas has the connection its {@code WAIT}s may block (see the connector). */
    private StreamConnection connection() {
        if (this.replicaWait == null) {
            return this.connector.shared();
        }
        StreamConnection replicated = this.connector.replicated();
        // Lettuce's own command timeout must not cut a WAIT short (a new connection after a switch starts low).
        replicated.allowBlockingFor(this.replicaWait.timeout());
        return replicated;
    }

    private void sendAndWait(StreamConnection current, StreamKey key, byte[][] fields, Message<?> message) {
        String id;
        RedisFuture<String> reply = current.xaddForProducer(key.bytes(), key.trimming().args(), fields, this.replicaWait);
        try {
            id = current.await(reply, this.properties.getSendTimeout());
        }
        catch (RedisException | CancellationException ex) {
            // Interrupted or timed out: Lettuce leaves the command be; one still waiting for its batch must not go
            // out after the caller was told it failed (a retry would store it twice). One waiting for replicas may be
            // stored already: then the reply now says so, with its id; or it may have been confirmed just now.
            reply.cancel(false);
            CompletableFuture<String> outcome = reply.toCompletableFuture();
            if (!outcome.isDone() || outcome.isCompletedExceptionally()) {
                Throwable settled = outcome.handle((stored, failure) -> failure).getNow(null);
                Throwable failure = settled instanceof ReplicasNotConfirmedException ? settled : ex;
                storedAnyway(key, failure);
                throw new MessageDeliveryException(message, failureText(key, failure), failure);
            }
            id = outcome.getNow(null);
        }
        key.trimming().added(id);
        this.metrics.published(key.name());
        sendRecordMetadata(message, key, id);
    }

    private void sendPipelined(StreamConnection current, StreamKey key, byte[][] fields, Message<?> message) {
        boolean permitted = acquirePermit(message);
        RedisFuture<String> reply;
        try {
            reply = current.xaddForProducer(key.bytes(), key.trimming().args(), fields, this.replicaWait);
        }
        catch (RuntimeException ex) {
            releasePermit(permitted);
            throw new MessageDeliveryException(message, failureText(key, ex), ex);
        }
        // On a reader's thread: the entry being handled is acknowledged only once this send is confirmed.
        boolean inputComesAgain = ReaderThreads.isCurrent();
        ReaderThreads.sent(reply.toCompletableFuture());
        reply.whenComplete((id, failure) -> {
            boolean callbackOwnsPermit = false;
            try {
                if (failure == null) {
                    key.trimming().added(id);
                    this.metrics.published(key.name());
                }
                else {
                    storedAnyway(key, failure);
                }
                if (failure != null || this.recordMetadataChannel != null) {
                    afterReply(permitted, () -> {
                        if (failure != null) {
                            reportFailure(message, inputComesAgain,
                                    new MessageHandlingException(message, failureText(key, failure), failure));
                        }
                        else {
                            sendRecordMetadata(message, key, id);
                        }
                    });
                    callbackOwnsPermit = true;
                }
            }
            finally {
                if (!callbackOwnsPermit) {
                    releasePermit(permitted);
                }
            }
        });
    }

    /**
     * Runs {@code callback} off Lettuce's I/O thread (see the class comment), where a subscriber that sends and
     * waits would wait for the very thread it blocks, then gives the permit back.
     */
    private void afterReply(boolean permitted, Runnable callback) {
        Runnable releasing = () -> {
            ON_CALLBACK_THREAD.set(Boolean.TRUE);
            try {
                callback.run();
            }
            catch (RuntimeException ex) {
                logger.error(ex, "A subscriber of the send's error or record metadata channel failed");
            }
            finally {
                ON_CALLBACK_THREAD.remove();
                releasePermit(permitted);
            }
        };
        this.callbacks.execute(releasing);
    }

    private static String whereItIs(Throwable failure) {
        if (failure.getCause() instanceof ReplicasNotConfirmedException) {
            return "It is in the stream on the master, but not as many replicas as wanted confirmed it in time";
        }
        return "It is probably not in the stream; after a dropped connection Redis may have stored it all the same";
    }

    private void releasePermit(boolean permitted) {
        if (permitted) {
            this.inFlight.release();
        }
    }

    /**
     * The message as stored, with its stream and record id. The entry is in Redis by now, so a failing
     * subscriber is logged, never reported as a failed send (a retry would store it twice).
     */
    private void sendRecordMetadata(Message<?> message, StreamKey key, String id) {
        if (this.recordMetadataChannel == null) {
            return;
        }
        try {
            this.recordMetadataChannel.send(MessageBuilder.fromMessage(message)
                    .setHeader(RedisStreamHeaders.STREAM, key.name())
                    .setHeader(RedisStreamHeaders.RECORD_ID, id)
                    .build());
        }
        catch (RuntimeException ex) {
            logger.error(ex, "Record " + id + " of stream '" + key.name() + "' was stored, but its record metadata "
                    + "could not be sent");
        }
    }

    /**
     * Waits for an in-flight slot; returns whether one was taken. A send from a callback (an error flow that sends
     * the message again, a metadata subscriber that sends on) takes a free slot or goes without one: the
     * slots it would wait for are given back by the callback thread it is running on.
     */
    private boolean acquirePermit(Message<?> message) {
        if (ON_CALLBACK_THREAD.get() != null) {
            return this.inFlight.tryAcquire();
        }
        try {
            if (!this.inFlight.tryAcquire(this.properties.getSendTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
                throw new MessageDeliveryException(message, this.properties.getMaxInFlight()
                        + " sends are awaiting Redis' reply at " + this.connector.endpoint()
                        + " and none completed within " + this.properties.getSendTimeout());
            }
            return true;
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new MessageDeliveryException(message, "Interrupted while waiting to send", ex);
        }
    }

    /** @param inputComesAgain whether a handler sent it, whose entry then stays unacknowledged and is handled again */
    private void reportFailure(Message<?> message, boolean inputComesAgain, MessageHandlingException failure) {
        if (this.errorChannel == null) {
            logger.error(failure, "Send failed and the binding has no error channel (errorChannelEnabled=false): "
                    + (inputComesAgain ? "the entry whose handler sent it is not acknowledged and is handled again. "
                            : "nothing will send this message again. ") + whereItIs(failure));
            return;
        }
        if (!this.running) {
            // After an unbind the error channel may have lost its subscribers and would swallow this silently.
            logger.error(failure, "Send failed while its producer is not running (stopped, or never started); it goes "
                    + "to the error channel, which may have no subscriber. " + whereItIs(failure));
        }
        this.errorChannel.send(this.errorMessageStrategy.buildErrorMessage(failure,
                ErrorMessageUtils.getAttributeAccessor(message, message)));
    }

    private String failureText(StreamKey key, Throwable failure) {
        return "XADD to stream '" + key.name() + "' at " + this.connector.endpoint()
                + " failed: " + failure.getMessage();
    }

    private StreamKey keyFor(Message<?> message) {
        if (!this.partitioned) {
            return this.keys[0];
        }
        Object partition = message.getHeaders().get(BinderHeaders.PARTITION_HEADER);
        if (partition == null && this.partitions != null) {
            partition = this.partitions.determinePartition(message);
        }
        if (!(partition instanceof Integer index) || index < 0 || index >= this.keys.length) {
            throw new MessageHandlingException(message, "Partitioned producer got partition header '"
                    + BinderHeaders.PARTITION_HEADER + "'=" + partition + ", expected 0.." + (this.keys.length - 1));
        }
        return this.keys[index];
    }

    /**
     * A stream key as text (metrics, headers, errors) and as the bytes {@code XADD} takes, both made once, with
     * its trimming: on a Redis Cluster each partition's key may live on a node with a clock of its own.
     */
    private record StreamKey(String name, byte[] bytes, StreamTrimming trimming) {

        StreamKey(String name, StreamTrimming trimming) {
            this(name, name.getBytes(StandardCharsets.UTF_8), trimming);
        }
    }
}
