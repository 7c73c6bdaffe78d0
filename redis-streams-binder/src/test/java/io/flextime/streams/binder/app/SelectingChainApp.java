package io.flextime.streams.binder.app;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.cloud.stream.binder.PartitionSelectorStrategy;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

/** {@link ChainApp} with a partition selector bean (every key to the last partition), found by type. */
@SpringBootConfiguration
@Import(ChainApp.class)
public class SelectingChainApp {

    @Bean
    PartitionSelectorStrategy lastPartition() {
        return (key, partitionCount) -> partitionCount - 1;
    }
}
