package io.flextime.streams.binder.topology;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

import org.awaitility.Awaitility;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.cloud.stream.function.StreamBridge;
import org.springframework.context.annotation.Bean;

/**
 * One {@code Consumer<Order>} bound in {@code topology.yml}, for the tests that run the binder against a
 * Redis Cluster, a Sentinel-managed master or a TLS port. Orders from customer {@code poison} fail and are
 * dead-lettered; every other order id is recorded once handled.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
public class TopologyApp {

    static final String POISON = "poison";

    @Bean
    HandledOrders handledOrders() {
        return new HandledOrders();
    }

    @Bean
    Consumer<Order> orderSink(HandledOrders handled) {
        return order -> {
            if (POISON.equals(order.customer())) {
                throw new IllegalArgumentException("poison order " + order.id());
            }
            handled.ids.add(order.id());
        };
    }

    public record Order(String id, String customer) {
    }

    /**
     * Sends through the synchronous {@code orders-out} binding until Redis acknowledges the {@code XADD}: during a
     * failover or a slot move a send can fail, and the test's sender, like an application's, tries again.
     */
    static String sendUntilAcknowledged(StreamBridge bridge, Order order) {
        Awaitility.await().atMost(Duration.ofSeconds(60)).pollDelay(Duration.ZERO).ignoreExceptions()
                .until(() -> bridge.send("orders-out", order));
        return order.id();
    }

    /** The order id in a stream entry's JSON payload, read without a parser. */
    static String orderId(String payload) {
        return payload.replaceAll(".*\"id\":\"([^\"]+)\".*", "$1");
    }

    /** Ids of the orders handled, duplicates folded (delivery is at-least-once). */
    public static class HandledOrders {

        private final Set<String> ids = ConcurrentHashMap.newKeySet();

        public boolean containsAll(java.util.Collection<String> expected) {
            return this.ids.containsAll(expected);
        }

        public int size() {
            return this.ids.size();
        }
    }
}
