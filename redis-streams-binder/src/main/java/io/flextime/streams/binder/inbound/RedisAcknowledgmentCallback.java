package io.flextime.streams.binder.inbound;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import org.springframework.integration.acks.AcknowledgmentCallback;

import io.flextime.streams.binder.connection.RedisStreamsConnector;
import io.flextime.streams.binder.connection.StreamConnection;

import static java.nio.charset.StandardCharsets.UTF_8;

/**
 * Lets the application settle one entry, or in batch mode the entries of one batch, itself (manual
 * acknowledgement, and pollable sources):
 * <ul>
 *   <li>{@code ACCEPT}: {@code XACK}.</li>
 *   <li>{@code REJECT}: dead-letter it (when dead-lettering is on), then {@code XACK}; without a dead-letter
 *   stream it stays pending, never silently dropped.</li>
 *   <li>{@code REQUEUE}: leave it pending. This consumer gets it again when it restarts, or another takes it
 *   over once it has been idle for {@code claimMinIdle}.</li>
 * </ul>
 * Only the first call counts.
 */
final class RedisAcknowledgmentCallback implements AcknowledgmentCallback {

    private final RedisStreamsConnector connector;

    private final ReaderIdentity reader;

    private final List<String> ids;

    private final Rejecter rejecter;

    private final AtomicBoolean acknowledged = new AtomicBoolean();

    private volatile boolean autoAck;

    RedisAcknowledgmentCallback(RedisStreamsConnector connector, ReaderIdentity reader, List<String> ids,
            boolean autoAck, Rejecter rejecter) {
        this.connector = connector;
        this.reader = reader;
        this.ids = List.copyOf(ids);
        this.autoAck = autoAck;
        this.rejecter = rejecter;
    }

    @Override
    public void acknowledge(Status status) {
        if (!this.acknowledged.compareAndSet(false, true)) {
            return;
        }
        switch (status) {
            case ACCEPT -> ack(this.ids);
            case REJECT -> ack(this.ids.stream().filter(id -> this.rejecter.deadLetter(this.reader, id)).toList());
            case REQUEUE -> {
                // stays pending under this consumer name
            }
        }
    }

    private void ack(List<String> settled) {
        if (settled.isEmpty()) {
            return;
        }
        StreamConnection connection = this.connector.shared();
        connection.await(connection.async().xack(this.reader.stream().getBytes(UTF_8), this.reader.group().getBytes(UTF_8),
                settled.toArray(String[]::new)));
    }

    @Override
    public boolean isAcknowledged() {
        return this.acknowledged.get();
    }

    @Override
    public void noAutoAck() {
        this.autoAck = false;
    }

    @Override
    public boolean isAutoAck() {
        return this.autoAck;
    }

    /** Dead-letters a rejected entry; returns whether it may now be acknowledged. */
    @FunctionalInterface
    interface Rejecter {

        boolean deadLetter(ReaderIdentity reader, String id);
    }
}
