package io.flextime.streams.binder.connection;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.lettuce.core.RedisException;
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

    /** Called with the reply to the {@code WAIT} sent after the write's batch; by then the write has its reply. */
    void settle(Long confirmed, Throwable waitFailure) {
        this.written.whenComplete((result, writeFailure) -> {
            if (writeFailure != null) {
                completeExceptionally(writeFailure);
            }
            else if (waitFailure != null) {
                completeExceptionally(new RedisException("Stored on the master as " + result + ", but WAIT for "
                        + this.required.replicas() + " replicas failed: " + waitFailure.getMessage(), waitFailure));
            }
            else if (confirmed != null && confirmed >= this.required.replicas()) {
                complete(result);
            }
            else {
                completeExceptionally(new ReplicasNotConfirmedException(String.valueOf(result),
                        confirmed == null ? 0 : confirmed, this.required));
            }
        });
    }

    /** Also cancels the write, which then stays out of its batch if that has not gone out yet. */
    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
        this.written.cancel(mayInterruptIfRunning);
        return super.cancel(mayInterruptIfRunning);
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
        catch (ExecutionException | java.util.concurrent.CancellationException ex) {
            // done, exceptionally
        }
        catch (TimeoutException ex) {
            return false;
        }
        return true;
    }
}
