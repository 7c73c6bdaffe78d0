package io.flextime.streams.binder.inbound;

import io.lettuce.core.StreamMessage;

/** Hands one stream entry to the binding. Implemented by the inbound adapter, called by its readers. */
interface EntryDispatcher {

    /**
     * @return {@code true} when the entry is finished with and may be acknowledged: the handler succeeded,
     * the binding's error flow handled the failure, or the entry's body was trimmed away. {@code false}
     * leaves it pending.
     */
    boolean dispatch(ReaderIdentity reader, StreamMessage<byte[], byte[]> entry);
}
