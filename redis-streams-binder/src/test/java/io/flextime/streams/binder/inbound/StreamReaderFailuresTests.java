package io.flextime.streams.binder.inbound;

import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisConnectionException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Which failures make a reader recreate its group, rather than wait for Redis to come back. */
class StreamReaderFailuresTests {

    @Test
    void aMissingGroupOrAMissingStreamIsRecreatedAnOutageIsWaitedOut() {
        // XREADGROUP and XPENDING say NOGROUP; XINFO CONSUMERS, a reader's first command, says the key is gone.
        assertThat(StreamReader.isNoGroup(new RedisCommandExecutionException(
                "NOGROUP No such key 'orders' or consumer group 'g' in XREADGROUP with GROUP option"))).isTrue();
        assertThat(StreamReader.isNoGroup(new IllegalStateException("wrapped",
                new RedisCommandExecutionException("ERR no such key")))).isTrue();
        assertThat(StreamReader.isNoGroup(new RedisConnectionException("Connection refused"))).isFalse();
        assertThat(StreamReader.isNoGroup(new RedisCommandExecutionException("WRONGTYPE Operation against a key"))).isFalse();
    }
}
