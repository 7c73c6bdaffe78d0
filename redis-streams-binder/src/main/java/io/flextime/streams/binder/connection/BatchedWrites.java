package io.flextime.streams.binder.connection;

import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.output.IntegerOutput;
import io.lettuce.core.protocol.AsyncCommand;
import io.lettuce.core.protocol.Command;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import io.lettuce.core.protocol.RedisCommand;
import io.lettuce.core.protocol.TracedCommand;
import io.lettuce.core.tracing.Tracing;

/**
 * Writes commands to a connection in batches, with one batch on the wire at a time: a command written while
 * none is waits for nothing and goes out at once; one written while a batch awaits its replies joins the next
 * batch, which goes out, as one socket write, when the last reply of the one before arrives. That is Nagle's
 * rule, clocked by Redis' replies instead of TCP's acknowledgements.
 *
 * <p>Why: a Lettuce connection with auto-flush writes and flushes every command on its own, so a producer
 * sending one message at a time costs a socket write in the client, and a socket read and write in Redis, per
 * message. Measured with the benchmark's {@code binder} scenario, Redis spent 11.5 µs of CPU per event that
 * way against 4.8 µs for raw Lettuce flushing every 500 commands, with 13 times its socket reads and writes,
 * on the same cores the application needs. Switching auto-flush off instead would strand commands buffered
 * while the connection is down (Lettuce replays only what it wrote while disconnected), and would affect
 * every other user of the shared connection; batches handed to {@code dispatch(Collection)} keep Lettuce's
 * own reconnect and replay. Under load the batches grow with the rate; a lone command waits at most for the
 * replies of the batch before it.
 *
 * <p>Writes that must also reach replicas ({@link ReplicaWait}) add a {@code WAIT} at the end of their batch, for
 * the highest number of replicas and the longest timeout any of them asks; their callers' futures complete
 * once it answers. One {@code WAIT} per batch rather than per write, and as part of the batch: Redis blocks the
 * connection until it answers, so the next batch (and every other command on the connection) waits for it.
 *
 * <p>For standalone and Sentinel connections only; see {@code StreamConnection#xaddForProducer} for why not on a
 * cluster.
 */
final class BatchedWrites {

    private final StatefulConnection<byte[], byte[]> connection;

    private final Tracing tracing;

    private final Queue<Waiting> waiting = new ConcurrentLinkedQueue<>();

    /** Whether a batch is written whose last reply has not arrived. */
    private final AtomicBoolean batchOut = new AtomicBoolean();

    /** How often the connection has dropped; Lettuce reconnects it by itself. */
    private final AtomicLong disconnects = new AtomicLong();

    BatchedWrites(StatefulConnection<byte[], byte[]> connection) {
        this.connection = connection;
        this.tracing = connection.getResources().tracing();
        if (connection instanceof RedisChannelHandler<?, ?> handler) {
            handler.addListener(new RedisConnectionStateListener() {
                @Override
                public void onRedisDisconnected(RedisChannelHandler<?, ?> disconnected) {
                    BatchedWrites.this.disconnects.incrementAndGet();
                }
            });
        }
    }

    /**
     * @param replicas what the write must reach besides the master, or {@code null}: then the future completes with
     * the master's reply
     */
    <T> RedisFuture<T> write(RedisCommand<byte[], byte[], T> command, ReplicaWait replicas) {
        AsyncCommand<byte[], byte[], T> reply = new AsyncCommand<>(command);
        ConfirmedReply<T> confirmed = replicas == null ? null : new ConfirmedReply<>(reply, replicas);
        this.waiting.add(new Waiting(traced(reply), reply, confirmed));
        if (this.batchOut.compareAndSet(false, true)) {
            writeBatches();
        }
        return confirmed != null ? confirmed : reply;
    }

    /**
     * With Lettuce's tracing on, a command's span belongs to the trace of the thread that dispatches it, and a
     * batch is dispatched by whichever sender or I/O thread holds the turn. So the sender's trace context is
     * taken here, on its own thread, as Lettuce's command API does when it dispatches.
     */
    private RedisCommand<byte[], byte[], ?> traced(AsyncCommand<byte[], byte[], ?> reply) {
        if (!this.tracing.isEnabled()) {
            return reply;
        }
        return new TracedCommand<>(reply, this.tracing.initialTraceContextProvider().getTraceContext());
    }

    /**
     * Runs on the thread holding {@link #batchOut} (a sender, or Lettuce's I/O thread after the last reply) and
     * gives it up once nothing waits. A loop rather than a call per batch, because a refused batch completes at
     * once and would otherwise recurse for as long as senders keep adding.
     */
    private void writeBatches() {
        while (true) {
            List<RedisCommand<byte[], byte[], ?>> batch = new ArrayList<>();
            List<ConfirmedReply<?>> confirming = new ArrayList<>();
            AsyncCommand<byte[], byte[], ?> last = null;
            for (Waiting next = this.waiting.poll(); next != null; next = this.waiting.poll()) {
                batch.add(next.command());
                last = next.reply();
                if (next.confirmed() != null) {
                    confirming.add(next.confirmed());
                }
            }
            if (!confirming.isEmpty()) {
                last = replicaWait(confirming, this.disconnects.get());
                batch.add(last);
            }
            if (last == null) {
                this.batchOut.set(false);
                // A command added after the drain, whose writer saw the batch still out, would wait for a reply
                // that never comes: take the turn back for it.
                if (this.waiting.isEmpty() || !this.batchOut.compareAndSet(false, true)) {
                    return;
                }
                continue;
            }
            try {
                this.connection.dispatch(batch);
            }
            catch (RuntimeException | Error ex) {
                // Refused before anything was written (a standalone connection writes a batch whole or not at
                // all). The callers' futures must complete, and the turn must not stay taken: every later write
                // would wait behind it for good.
                batch.forEach(command -> command.completeExceptionally(ex));
            }
            if (!last.isDone()) {
                last.whenComplete((result, failure) -> writeBatches());
                return;
            }
        }
    }

    /**
     * {@code WAIT} for what the batch's writes ask most; its reply settles each of them. A {@code WAIT} answered
     * after the connection dropped confirms nothing: Lettuce sends an unanswered command again on the new
     * connection, where {@code WAIT} counts that connection's writes, none of which are the batch's, and so
     * answers at once with every connected replica.
     */
    private AsyncCommand<byte[], byte[], Long> replicaWait(List<ConfirmedReply<?>> confirming, long disconnectsBefore) {
        int replicas = confirming.stream().mapToInt(reply -> reply.required().replicas()).max().orElseThrow();
        long timeoutMillis = confirming.stream().mapToLong(reply -> reply.required().timeout().toMillis()).max().orElseThrow();
        AsyncCommand<byte[], byte[], Long> wait = new AsyncCommand<>(new Command<>(CommandType.WAIT,
                new IntegerOutput<>(ByteArrayCodec.INSTANCE),
                new CommandArgs<>(ByteArrayCodec.INSTANCE).add(replicas).add(timeoutMillis)));
        wait.whenComplete((confirmed, failure) -> {
            boolean reconnected = this.disconnects.get() != disconnectsBefore;
            confirming.forEach(reply -> reply.settle(confirmed, failure, reconnected));
        });
        return wait;
    }

    /**
     * A command as it is written (traced, when tracing is on), the future of its reply, and the future its caller
     * holds when the write must reach replicas too.
     */
    private record Waiting(RedisCommand<byte[], byte[], ?> command, AsyncCommand<byte[], byte[], ?> reply,
            ConfirmedReply<?> confirmed) {
    }
}
