package io.flextime.streams.binder.inbound;

import java.util.List;

import io.lettuce.core.StreamMessage;

/**
 * Hands stream entries to the binding. Implemented by the inbound adapter, called by its readers. A
 * {@code true} result means the entry is finished with and may be acknowledged, {@code false} leaves it
 * pending.
 */
interface EntryDispatcher {

    /** One entry: acknowledge when the handler succeeded, the error flow dealt with the failure, or its body was trimmed away. */
    boolean dispatch(ReaderIdentity reader, StreamMessage<byte[], byte[]> entry);

    /**
     * A whole batch as one message ({@code batchMode}): its records are all acknowledged, or none. Entries
     * that cannot be decoded are reported one by one and left out of the batch.
     * @param finished receives the ids that may be acknowledged as each is settled, so that those settled before a
     * failure escapes (trimmed records, malformed ones dead-lettered) are acknowledged all the same
     */
    void dispatchBatch(ReaderIdentity reader, List<StreamMessage<byte[], byte[]>> entries, List<String> finished);

    /** An entry delivered more than {@code maxDeliveries} times: dead-letter it without handling it again. */
    boolean deadLetterOverLimit(ReaderIdentity reader, StreamMessage<byte[], byte[]> entry, long deliveries);

    /** Entries taken over from other consumers. */
    void countClaimed(ReaderIdentity reader, int count);

    /** Pending entries whose bodies were trimmed away before anyone handled them. */
    void countTrimmed(ReaderIdentity reader, int count);
}
