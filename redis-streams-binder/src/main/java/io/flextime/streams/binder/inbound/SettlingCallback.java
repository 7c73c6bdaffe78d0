package io.flextime.streams.binder.inbound;

import java.util.concurrent.atomic.AtomicBoolean;

import org.springframework.integration.acks.AcknowledgmentCallback;

/**
 * A polled entry's callback that also tells the source the entry has left its hands, whatever the status and
 * even when the acknowledgement itself fails: an entry kept in hand would be refreshed, and skipped, for ever.
 * Only the first call counts, as for the callback it wraps: a late call on a stale callback must not let go of a
 * later delivery of the same entry.
 */
final class SettlingCallback implements AcknowledgmentCallback {

    private final AcknowledgmentCallback delegate;

    private final Runnable settled;

    private final AtomicBoolean done = new AtomicBoolean();

    SettlingCallback(AcknowledgmentCallback delegate, Runnable settled) {
        this.delegate = delegate;
        this.settled = settled;
    }

    @Override
    public void acknowledge(Status status) {
        if (!this.done.compareAndSet(false, true)) {
            return;
        }
        try {
            this.delegate.acknowledge(status);
        }
        finally {
            this.settled.run();
        }
    }

    @Override
    public boolean isAcknowledged() {
        return this.delegate.isAcknowledged();
    }

    @Override
    public void noAutoAck() {
        this.delegate.noAutoAck();
    }

    @Override
    public boolean isAutoAck() {
        return this.delegate.isAutoAck();
    }
}
