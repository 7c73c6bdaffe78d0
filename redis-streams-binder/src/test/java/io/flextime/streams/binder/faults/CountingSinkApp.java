package io.flextime.streams.binder.faults;

import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.annotation.Bean;

import io.flextime.streams.binder.app.Order;

/**
 * A consumer for fault tests that records every handling in Redis itself, so the count survives the
 * consumer's own death: {@code HINCRBY <ledger> <orderId> 1} (a value above 1 is a duplicate) and
 * {@code HINCRBY <ledger>:by-consumer <name> 1}. The ledger connection bypasses any proxy in front of the
 * binder. {@code counting.work-micros} simulates handler work. Runs in the test JVM or, through
 * {@link #main}, as a separate process that a test can SIGKILL.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
public class CountingSinkApp {

    public static void main(String[] args) {
        new SpringApplicationBuilder(CountingSinkApp.class).properties("spring.config.name=counting").run(args);
    }

    @Bean(destroyMethod = "shutdown")
    RedisClient ledgerClient(@Value("${counting.ledger-url}") String url) {
        return RedisClient.create(url);
    }

    @Bean(destroyMethod = "close")
    StatefulRedisConnection<String, String> ledgerConnection(RedisClient ledgerClient) {
        return ledgerClient.connect();
    }

    @Bean
    Consumer<Order> countingSink(StatefulRedisConnection<String, String> ledger, @Value("${counting.ledger}") String key,
            @Value("${counting.name}") String name, @Value("${counting.work-micros:0}") long workMicros) {
        return order -> {
            if (workMicros > 0) {
                // Simulated handler work (not synchronisation): keeps entries in flight long enough to be interrupted.
                LockSupport.parkNanos(workMicros * 1_000);
            }
            ledger.sync().hincrby(key, order.id(), 1);
            ledger.sync().hincrby(key + ":by-consumer", name, 1);
        };
    }
}
