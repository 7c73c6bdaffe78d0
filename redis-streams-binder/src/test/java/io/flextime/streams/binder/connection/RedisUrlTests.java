package io.flextime.streams.binder.connection;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RedisUrlTests {

    @Test
    void readsEveryPart() {
        assertThat(RedisUrl.parse("rediss://app:s%40cret@redis.internal:6380/2"))
                .isEqualTo(new RedisUrl("redis.internal", 6380, 2, "app", "s@cret", true));
    }

    /** As Spring Boot's and Lettuce's own URL parsing: '+' is a plus sign, not an encoded space. */
    @Test
    void aPlusInThePasswordStaysAPlus() {
        assertThat(RedisUrl.parse("redis://:Ab+cd%2Bef@localhost").password()).isEqualTo("Ab+cd+ef");
    }

    @Test
    void passwordOnlyAndDefaults() {
        assertThat(RedisUrl.parse("redis://:secret@localhost"))
                .isEqualTo(new RedisUrl("localhost", 6379, 0, null, "secret", false));
        assertThat(RedisUrl.parse("redis://secret@localhost"))
                .isEqualTo(new RedisUrl("localhost", 6379, 0, null, "secret", false));
    }

    @Test
    void refusesWhatIsNotARedisUrl() {
        assertThatThrownBy(() -> RedisUrl.parse("http://localhost:6379")).hasMessageContaining("redis:// or rediss://");
        assertThatThrownBy(() -> RedisUrl.parse("redis:///0")).hasMessageContaining("no host");
        assertThatThrownBy(() -> RedisUrl.parse("redis://localhost/db1")).hasMessageContaining("database must be a number");
    }
}
