package io.flextime.streams.binder.support;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Which handled entries a reader may acknowledge, by the replies to the sends their handlers made. */
class ReaderThreadsTests {

    private static final Duration WAIT = Duration.ofSeconds(1);

    @Test
    void anEntryIsConfirmedOnlyWhenEverySendOfItsHandlerSucceededAndThenTrackingStartsAfresh() {
        ReaderThreads.runAsReader(() -> {
            // A batch handled at once shares its sends; then one entry on its own, whose send Redis refused.
            ReaderThreads.handling(List.of("1-0", "1-1"));
            ReaderThreads.sent(CompletableFuture.completedFuture("9-0"));
            ReaderThreads.sent(CompletableFuture.completedFuture("9-1"));
            ReaderThreads.handling(List.of("1-2"));
            ReaderThreads.sent(CompletableFuture.failedFuture(new IllegalStateException("OOM")));

            assertThat(ReaderThreads.confirmed(List.of("1-0", "1-1", "1-2"), WAIT)).containsExactly("1-0", "1-1");
            // The refused send of 1-2 is forgotten: handled again later without sends, it is confirmed.
            assertThat(ReaderThreads.confirmed(List.of("1-2"), WAIT)).containsExactly("1-2");
        });
    }

    @Test
    void sendsOfAnEntryNotAcknowledgedAreForgottenAndSendsOffAReaderThreadAreNotTracked() {
        ReaderThreads.runAsReader(() -> {
            ReaderThreads.handling(List.of("2-0"));
            ReaderThreads.sent(new CompletableFuture<>());
            ReaderThreads.forget();

            assertThat(ReaderThreads.confirmed(List.of("2-0"), WAIT)).containsExactly("2-0");
        });
        assertThat(ReaderThreads.isCurrent()).isFalse();
        ReaderThreads.sent(new CompletableFuture<>());
        assertThat(ReaderThreads.confirmed(List.of("3-0"), WAIT)).containsExactly("3-0");
    }

    @Test
    void aReplyThatDoesNotComeInTimeIsNotAConfirmation() {
        ReaderThreads.runAsReader(() -> {
            ReaderThreads.handling(List.of("4-0"));
            ReaderThreads.sent(new CompletableFuture<>());

            assertThat(ReaderThreads.confirmed(List.of("4-0"), Duration.ofMillis(50))).isEmpty();
        });
    }
}
