package io.flextime.streams.binder.app;

import java.util.function.Consumer;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;

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
    Consumer<Order> orderSink(Received<Order> orders, @Value("${sink.fail:false}") boolean fail) {
        return order -> {
            if (fail) {
                throw new IllegalStateException("sink.fail=true: refusing order " + order.id());
            }
            orders.add(order);
        };
    }
}
