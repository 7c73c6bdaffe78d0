package io.flextime.streams.binder;

import java.io.InputStream;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/** IDEs complete the binder's properties from the generated metadata; make sure it lists them. */
class ConfigurationMetadataTests {

    @Test
    @SuppressWarnings("unchecked")
    void metadataListsBinderConsumerAndProducerProperties() throws Exception {
        try (InputStream in = getClass().getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
            Map<String, Object> metadata = JsonMapper.builder().build().readValue(in, Map.class);
            List<String> names = ((List<Map<String, Object>>) metadata.get("properties")).stream()
                    .map(property -> (String) property.get("name")).toList();
            assertThat(names).contains("spring.cloud.stream.redis.binder.prefix", "spring.cloud.stream.redis.binder.url",
                    "spring.cloud.stream.redis.default.consumer.count", "spring.cloud.stream.redis.default.consumer.block",
                    "spring.cloud.stream.redis.default.consumer.start-offset",
                    "spring.cloud.stream.redis.default.consumer.payload-type",
                    "spring.cloud.stream.redis.default.producer.max-length",
                    "spring.cloud.stream.redis.default.producer.sync");
        }
    }
}
