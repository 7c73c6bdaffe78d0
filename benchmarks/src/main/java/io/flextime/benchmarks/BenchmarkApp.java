package io.flextime.benchmarks;

import java.util.function.Consumer;
import java.util.function.Function;

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

    @Bean
    TrackerHolder trackerHolder() {
        return new TrackerHolder();
    }

    @Bean
    Consumer<FlexTimeEvent> sink(TrackerHolder tracker) {
        return event -> tracker.current().record(EventPayloads.sequence(event), EventPayloads.sentNanos(event));
    }

    @Bean
    Function<FlexTimeEvent, FlexTimeEvent> relay() {
        return event -> event;
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
