package io.flextime.streams.binder;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.springframework.cloud.stream.binder.Binding;
import org.springframework.messaging.Message;
import org.springframework.messaging.MessageChannel;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Records each payload (a batch as its size); the first message it gets is held until {@link #release()}, so a
 * test can stop a binding, or let another consumer try its luck, while an entry is in hand.
 */
final class GatedHandler implements java.util.function.Consumer<Message<?>> {

    private final CountDownLatch entered = new CountDownLatch(1);

    private final CountDownLatch released = new CountDownLatch(1);

    final List<String> handled = new CopyOnWriteArrayList<>();

    @Override
    public void accept(Message<?> message) {
        this.entered.countDown();
        try {
            this.released.await(60, TimeUnit.SECONDS);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
        Object payload = message.getPayload();
        this.handled.add(payload instanceof List<?> batch ? "batch of " + batch.size() : new String((byte[]) payload, UTF_8));
    }

    void awaitEntered() throws InterruptedException {
        assertThat(this.entered.await(20, TimeUnit.SECONDS)).isTrue();
    }

    void release() {
        this.released.countDown();
    }

    /**
     * Unbinds while this handler holds an entry: the stop is requested first (the unbinding thread then waits for
     * the reader), and only then is the handler let go.
     */
    void stopWhileInHand(Binding<MessageChannel> binding) throws InterruptedException {
        Thread stopper = new Thread(binding::unbind, "stopper");
        stopper.start();
        await().atMost(java.time.Duration.ofSeconds(20)).until(() -> stopper.getState() == Thread.State.TIMED_WAITING);
        release();
        stopper.join(20_000);
        assertThat(stopper.isAlive()).isFalse();
    }
}
