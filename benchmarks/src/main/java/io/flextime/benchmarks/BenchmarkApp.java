package io.flextime.benchmarks;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;

import io.flextime.events.envelope.FlexTimeEvent;

/**
 * The Spring Cloud Stream application the binder scenarios run, as a FlexTime user would write it: plain
 * function beans, bound by properties ({@link BinderApps}). Which binder carries them is a property too.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
class BenchmarkApp {

    /** Starts with the tracker {@link BinderApps} registered, if any, so nothing consumed at startup is missed. */
    @Bean
    TrackerHolder trackerHolder(ObjectProvider<Tracker> initial) {
        TrackerHolder holder = new TrackerHolder();
        initial.ifAvailable(holder::set);
        return holder;
    }

    @Bean
    Consumer<FlexTimeEvent> sink(TrackerHolder tracker) {
        return event -> tracker.current().record(EventPayloads.round(event), EventPayloads.sequence(event),
                EventPayloads.sentNanos(event));
    }

    @Bean
    Consumer<List<FlexTimeEvent>> batchSink(TrackerHolder tracker) {
        return events -> events.forEach(sink(tracker));
    }

    @Bean
    Function<FlexTimeEvent, FlexTimeEvent> relay() {
        return event -> event;
    }

    @Bean
    SupplierFeed supplierFeed() {
        return new SupplierFeed();
    }

    /** Polled by the framework's poller; {@code null} (nothing to send) once the round's events are out. */
    @Bean
    Supplier<FlexTimeEvent> source(SupplierFeed feed) {
        return feed::next;
    }

    /** What the {@code source} supplier hands out: the events of the round under way, each once. */
    static final class SupplierFeed {

        private volatile EventPayloads payloads;

        private volatile int round;

        private volatile long limit;

        private final AtomicLong next = new AtomicLong();

        void start(EventPayloads roundPayloads, int roundNumber, long events) {
            // Closed first, so a poll in between cannot hand out the new round's numbers early.
            this.limit = 0;
            this.next.set(0);
            this.payloads = roundPayloads;
            this.round = roundNumber;
            this.limit = events;
        }

        FlexTimeEvent next() {
            if (this.payloads == null || this.next.get() >= this.limit) {
                return null;
            }
            long sequence = this.next.getAndIncrement();
            return sequence < this.limit ? this.payloads.event(this.round, sequence, System.nanoTime()) : null;
        }
    }

    /** The tracker of the round under way; each round sets a fresh one before it publishes. */
    static final class TrackerHolder {

        private volatile Tracker current = new Tracker(0);

        Tracker current() {
            return this.current;
        }

        void set(Tracker tracker) {
            this.current = tracker;
        }
    }
}
