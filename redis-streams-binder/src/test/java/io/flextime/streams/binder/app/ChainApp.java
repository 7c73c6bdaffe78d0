package io.flextime.streams.binder.app;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * Supplier -> orders stream -> Function -> invoices stream -> Consumer, bound only in {@code chain.yml}.
 * The Supplier is polled by the framework and emits whatever the test queued.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
public class ChainApp {

    @Bean
    Queue<Order> orderBook() {
        return new ConcurrentLinkedQueue<>();
    }

    @Bean
    Received<Invoice> invoices() {
        return new Received<>();
    }

    @Bean
    Supplier<Order> orderSource(Queue<Order> orderBook) {
        return orderBook::poll;
    }

    @Bean
    Function<Order, Invoice> invoice() {
        return order -> new Invoice(order.id(), order.customer(), order.sequence(), order.amountCents() * 119 / 100);
    }

    @Bean
    Consumer<Invoice> invoiceSink(Received<Invoice> invoices) {
        return invoices::add;
    }
}
