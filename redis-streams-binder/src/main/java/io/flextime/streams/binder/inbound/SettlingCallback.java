package io.flextime.streams.binder.inbound;

import org.springframework.integration.acks.AcknowledgmentCallback;

/**
 * A polled entry's callback that also tells the source the entry has left its hands, whatever the status and
 * even when the acknowledgement itself fails: an entry kept in hand would be refreshed, and skipped, for ever.
 */
final class SettlingCallback implements AcknowledgmentCallback {

    private final AcknowledgmentCallback delegate;

    private final Runnable settled;

    SettlingCallback(AcknowledgmentCallback delegate, Runnable settled) {
        this.delegate = delegate;
        this.settled = settled;
    }

    @Override
    public void acknowledge(Status status) {
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
