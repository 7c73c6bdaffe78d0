package io.flextime.streams.binder.connection;

import java.time.Duration;
import java.util.concurrent.ExecutionException;

import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.protocol.AsyncCommand;
import io.lettuce.core.protocol.Command;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What a caller holding a write's reply learns when it gives up waiting; no Redis involved. */
class ConfirmedReplyTests {

    private final ReplicaWait oneReplica = new ReplicaWait(1, Duration.ofSeconds(1));

    @Test
    void cancellingBeforeTheWriteHasItsReplyCancelsTheWrite() {
        AsyncCommand<byte[], byte[], String> written = xadd();
        ConfirmedReply<String> reply = new ConfirmedReply<>(written, this.oneReplica);

        assertThat(reply.cancel(false)).isTrue();

        assertThat(written.isCancelled()).isTrue();
        assertThat(reply.isCancelled()).isTrue();
    }

    /** The master has the entry: the caller must learn its id rather than a bare cancellation. */
    @Test
    void cancellingAfterTheWriteWasStoredFailsWithItsIdAndCancelsNothing() {
        AsyncCommand<byte[], byte[], String> written = xadd();
        ConfirmedReply<String> reply = new ConfirmedReply<>(written, this.oneReplica);
        written.getOutput().set(java.nio.ByteBuffer.wrap("1-0".getBytes()));
        written.complete();

        assertThat(reply.cancel(false)).isFalse();

        assertThat(reply.isCancelled()).isFalse();
        assertThatThrownBy(reply::get).isInstanceOf(ExecutionException.class).cause()
                .isInstanceOf(ReplicasNotConfirmedException.class)
                .satisfies(failure -> assertThat(((ReplicasNotConfirmedException) failure).id()).isEqualTo("1-0"));
    }

    @Test
    void aWaitAnsweredAfterTheConnectionDroppedConfirmsNothing() {
        AsyncCommand<byte[], byte[], String> written = xadd();
        ConfirmedReply<String> reply = new ConfirmedReply<>(written, this.oneReplica);
        written.getOutput().set(java.nio.ByteBuffer.wrap("1-0".getBytes()));
        written.complete();

        reply.settle(1L, null, true);

        assertThatThrownBy(reply::get).cause().isInstanceOf(ReplicasNotConfirmedException.class)
                .hasMessageContaining("the connection dropped before WAIT answered");
    }

    private static AsyncCommand<byte[], byte[], String> xadd() {
        return new AsyncCommand<>(new Command<>(CommandType.XADD, new StatusOutput<>(ByteArrayCodec.INSTANCE),
                new CommandArgs<>(ByteArrayCodec.INSTANCE)));
    }
}
