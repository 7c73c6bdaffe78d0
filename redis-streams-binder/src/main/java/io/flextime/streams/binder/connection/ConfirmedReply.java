package io.flextime.streams.binder.connection;

import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.lettuce.core.RedisFuture;
import io.lettuce.core.protocol.AsyncCommand;

/**
 * The reply a caller holds for a write that must also reach replicas: complete once both the write's reply and
 * the {@code WAIT} after its batch have arrived, with the write's result when enough replicas confirmed it.
 */
final class ConfirmedReply<T> extends CompletableFuture<T> implements RedisFuture<T> {

    private final AsyncCommand<byte[], byte[], T> written;

    private final ReplicaWait required;

    ConfirmedReply(AsyncCommand<byte[], byte[], T> written, ReplicaWait required) {
        this.written = written;
        this.required = required;
    }

    ReplicaWait required() {
        return this.required;
    }

    /**
     * Called with the reply to the {@code WAIT} sent after the write's batch; by then the write has its reply.
     * Whatever goes wrong after the write succeeded, the failure is a {@link ReplicasNotConfirmedException}: it
     * carries the id of the entry the master has stored.
     */
    void settle(Long confirmed, Throwable waitFailure, boolean reconnected) {
        this.written.whenComplete((result, writeFailure) -> {
            if (writeFailure != null) {
                completeExceptionally(writeFailure);
            }
            else if (waitFailure != null) {
                completeExceptionally(new ReplicasNotConfirmedException(String.valueOf(result), 0, this.required,
                        "WAIT failed: " + waitFailure.getMessage(), waitFailure));
            }
            else if (reconnected) {
                completeExceptionally(new ReplicasNotConfirmedException(String.valueOf(result), 0, this.required,
                        "the connection dropped before WAIT answered, so it no longer counted this write", null));
            }
            else if (confirmed != null && confirmed >= this.required.replicas()) {
                complete(result);
            }
            else {
                long count = confirmed == null ? 0 : confirmed;
                completeExceptionally(new ReplicasNotConfirmedException(String.valueOf(result), count, this.required,
                        count + " of the " + this.required.replicas() + " required replicas confirmed it within "
                        + this.required.timeout(), null));
            }
        });
    }

    /**
     * Cancels the write, which then stays out of its batch if that has not gone out yet. A write that has its reply
     * cannot be taken back: then nothing is cancelled, {@code false} is returned, and this reply fails, if it has
     * not completed already: for a stored write with a {@link ReplicasNotConfirmedException} naming its id (a sync
     * send that stopped waiting for replicas), else with the write's own failure.
     */
    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
        if (this.written.cancel(mayInterruptIfRunning)) {
            return super.cancel(mayInterruptIfRunning);
        }
        this.written.whenComplete((result, writeFailure) -> completeExceptionally(writeFailure != null ? writeFailure
                : new ReplicasNotConfirmedException(String.valueOf(result), 0, this.required,
                        "the send stopped waiting before the replicas confirmed it", null)));
        return false;
    }

    @Override
    public String getError() {
        if (!isCompletedExceptionally()) {
            return null;
        }
        try {
            join();
            return null;
        }
        catch (RuntimeException ex) {
            return ex.getCause() != null ? ex.getCause().getMessage() : ex.getMessage();
        }
    }

    @Override
    public boolean await(long timeout, TimeUnit unit) throws InterruptedException {
        try {
            get(timeout, unit);
        }
        catch (ExecutionException | CancellationException ex) {
            // done, exceptionally
        }
        catch (TimeoutException ex) {
            return false;
        }
        return true;
    }
}
