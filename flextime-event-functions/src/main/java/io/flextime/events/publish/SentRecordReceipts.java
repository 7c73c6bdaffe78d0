package io.flextime.events.publish;

import org.springframework.messaging.Message;
import org.springframework.messaging.MessageHandler;

import io.flextime.streams.binder.support.RedisStreamHeaders;

/**
 * The record ids of synchronous sends, handed back to the sending thread. The publisher's bindings are
 * {@code sync} with this as their {@code record-metadata-channel} subscriber: the binder reports each sent
 * message, with the id Redis assigned, on the thread that sent it, right after the {@code XADD} returned.
 */
public class SentRecordReceipts implements MessageHandler {

    private final ThreadLocal<String> lastRecordId = new ThreadLocal<>();

    @Override
    public void handleMessage(Message<?> message) {
        this.lastRecordId.set((String) message.getHeaders().get(RedisStreamHeaders.RECORD_ID));
    }

    /** The id of this thread's last send, once; {@code null} if none was reported. */
    String take() {
        String id = this.lastRecordId.get();
        this.lastRecordId.remove();
        return id;
    }
}
