package io.flextime.streams.binder.app;

import java.util.List;
import java.util.function.Consumer;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;

/** A batch consumer ({@code batch-mode: true} in {@code batch.yml}); a batch holding a "poison" order fails as a whole. */
@SpringBootConfiguration
@EnableAutoConfiguration
public class BatchSinkApp {

    @Bean
    Received<List<Order>> batches() {
        return new Received<>();
    }

    @Bean
    Consumer<List<Order>> batchSink(Received<List<Order>> batches) {
        return orders -> {
            if (orders.stream().anyMatch(order -> order.id().startsWith("poison"))) {
                throw new IllegalStateException("batch holds a poison order");
            }
            batches.add(orders);
        };
    }
}
