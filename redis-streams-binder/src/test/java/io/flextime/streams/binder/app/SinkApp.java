package io.flextime.streams.binder.app;

import java.util.function.Consumer;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.messaging.support.ErrorMessage;

/**
 * One consumer of orders, bound in {@code sink.yml}; tests start several with different groups, instance
 * indexes or consumer names, and publish with {@code StreamBridge} to the {@code orders-out} binding.
 * With {@code sink.fail=true} the handler throws, leaving every entry pending.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
public class SinkApp {

    @Bean
    Received<Order> orders() {
        return new Received<>();
    }

    @Bean
    Received<ErrorMessage> orderErrors() {
        return new Received<>();
    }

    /** Bound as the error handler only when a test sets {@code error-handler-definition: orderErrorHandler}. */
    @Bean
    Consumer<ErrorMessage> orderErrorHandler(Received<ErrorMessage> orderErrors) {
        return orderErrors::add;
    }

    @Bean
    Consumer<Order> orderSink(Received<Order> orders, @Value("${sink.fail:false}") boolean fail) {
        return order -> {
            if (fail) {
                throw new IllegalStateException("sink.fail=true: refusing order " + order.id());
            }
            orders.add(order);
        };
    }
}
