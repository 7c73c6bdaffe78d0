package io.flextime.events;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** The FlexTime event service: function beans bound to Redis Streams through {@code application.yml}. */
@SpringBootApplication
public class FlexTimeEventsApplication {

    public static void main(String[] args) {
        SpringApplication.run(FlexTimeEventsApplication.class, args);
    }
}
