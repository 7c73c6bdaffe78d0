package io.flextime.streams.binder.inbound;

import java.lang.ref.Cleaner;
import java.lang.ref.Reference;
import java.util.concurrent.atomic.AtomicBoolean;

import org.springframework.integration.acks.AcknowledgmentCallback;

/**
 * A polled entry's callback (or a MANUAL-mode delivery's) that also tells the source the entry has left its hands, whatever the status and
 * even when the acknowledgement itself fails: an entry kept in hand would be refreshed, and skipped, for ever.
 * Only the first call counts, as for the callback it wraps: a late call on a stale callback must not let go of a
 * later delivery of the same entry. A message dropped before anyone settled it (a payload conversion that failed
 * before the framework's acknowledging code, a channel interceptor that filtered it) lets go of its entry once
 * the callback is garbage: the entry is then read again like any pending one.
 */
final class SettlingCallback implements AcknowledgmentCallback {

    private final AcknowledgmentCallback delegate;

    private static final Cleaner UNSETTLED = Cleaner.create();

    private final Cleaner.Cleanable settled;

    private final AtomicBoolean done = new AtomicBoolean();

    /** @param settled run once: when the callback is first called, or when it is garbage without having been */
    SettlingCallback(AcknowledgmentCallback delegate, Runnable settled) {
        this.delegate = delegate;
        this.settled = UNSETTLED.register(this, settled);
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
            this.settled.clean();
            // Until here: collected earlier, the release would run during the acknowledgement, and a poll on another
            // thread could hand the entry out again before it is settled.
            Reference.reachabilityFence(this);
        }
    }

    /**
     * Lets go of the entry without settling it, for a delivery that failed: the application does not hold it, and
     * the reader's recovery may take it again. A later {@link #acknowledge} still settles it.
     */
    void letGo() {
        this.settled.clean();
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
