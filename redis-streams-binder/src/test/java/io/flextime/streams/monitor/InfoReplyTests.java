package io.flextime.streams.monitor;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** XINFO replies as Redis 6.2, 7.0 and 7.2+/8.x send them: what a server lacks is unknown, never a crash or a 0. */
class InfoReplyTests {

    @Test
    void redis62GroupReplyHasNoLagAndNoEntriesRead() {
        InfoReply group = InfoReply.of(List.of("name", "g", "consumers", 1L, "pending", 2L, "last-delivered-id", "5-0"));
        assertThat(group.number("pending")).isEqualTo(2);
        assertThat(group.number("lag")).isNull();
        assertThat(group.number("entries-read")).isNull();
    }

    @Test
    void redis70GroupReplyWithNilLagIsUnknown() {
        java.util.List<Object> reply = new java.util.ArrayList<>(List.of("name", "g", "consumers", 1L, "pending", 0L,
                "last-delivered-id", "5-0", "entries-read", 5L, "lag"));
        reply.add(null);
        InfoReply group = InfoReply.of(reply);
        assertThat(group.number("entries-read")).isEqualTo(5);
        assertThat(group.number("lag")).isNull();
    }

    @Test
    void redis72AndLaterConsumerAndStreamRepliesWithExtraFieldsParse() {
        InfoReply consumer = InfoReply.of(List.of("name", "c", "pending", 0L, "idle", 12L, "inactive", 40L));
        assertThat(consumer.number("inactive")).isEqualTo(40);
        InfoReply stream = InfoReply.of(List.of("length", 2L, "radix-tree-keys", 1L, "last-generated-id", "9-1",
                "max-deleted-entry-id", "0-0", "entries-added", 2L, "recorded-first-entry-id", "8-0",
                "idmp-duration", 100L, "groups", 0L, "first-entry", List.of("8-0", List.of("payload", "x")),
                "last-entry", List.of("9-1", List.of("payload", "y"))));
        assertThat(stream.entryId("first-entry")).isEqualTo("8-0");
        assertThat(stream.number("entries-added")).isEqualTo(2);
        assertThat(stream.number("not-sent-by-this-server")).isNull();
    }
}
