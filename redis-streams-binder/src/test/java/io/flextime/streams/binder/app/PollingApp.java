package io.flextime.streams.binder.app;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;

/** No function beans: {@code polling.yml} declares a pollable source the test polls itself. */
@SpringBootConfiguration
@EnableAutoConfiguration
public class PollingApp {
}
