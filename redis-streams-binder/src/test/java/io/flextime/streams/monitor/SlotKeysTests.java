package io.flextime.streams.monitor;

import io.lettuce.core.cluster.SlotHash;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SlotKeysTests {

    @Test
    void aCompanionHashesToItsStreamsSlot() {
        for (String stream : new String[] { "flextime:stream:orders-3", "a", "x{y" }) {
            String companion = SlotKeys.companion(stream, ".billing.dlq");
            assertThat(companion).isEqualTo("{" + stream + "}.billing.dlq");
            assertThat(SlotHash.getSlot(companion)).as(companion).isEqualTo(SlotHash.getSlot(stream));
        }
    }

    @Test
    void aStreamKeyWithItsOwnHashTagKeepsIt() {
        String companion = SlotKeys.companion("{flextime}:orders", ".g.counters");
        assertThat(companion).isEqualTo("{flextime}:orders.g.counters");
        assertThat(SlotHash.getSlot(companion)).isEqualTo(SlotHash.getSlot("{flextime}:orders"));
        assertThat(SlotKeys.hasHashTag("a{}b")).as("an empty tag hashes the whole key").isFalse();
    }

    @Test
    void aKeyWithAClosingBraceButNoTagCannotBeWrappedAndKeepsItsName() {
        assertThat(SlotKeys.companion("x}y", ".g.dlq")).isEqualTo("x}y.g.dlq");
    }

    @Test
    void namesDropThePrefixAndKeysPutItBack() {
        String prefix = "flextime:stream:";
        assertThat(SlotKeys.name(prefix, "flextime:stream:orders")).isEqualTo("orders");
        assertThat(SlotKeys.name(prefix, "{flextime:stream:orders-3}.billing.dlq")).isEqualTo("{orders-3}.billing.dlq");
        assertThat(SlotKeys.name(prefix, "elsewhere")).isEqualTo("elsewhere");
        assertThat(SlotKeys.key(prefix, "{orders-3}.billing.dlq")).isEqualTo("{flextime:stream:orders-3}.billing.dlq");
        assertThat(SlotKeys.key(prefix, "orders")).isEqualTo("flextime:stream:orders");
        assertThat(SlotKeys.key(prefix, "flextime:stream:orders")).isEqualTo("flextime:stream:orders");
    }

    @Test
    void theScanPatternEscapesGlobCharactersOfThePrefix() {
        assertThat(SlotKeys.scanPattern("app[1]*:")).isEqualTo("*app\\[1\\]\\*:*");
    }

    @Test
    void keysUnderThePrefixAreItsStreamsAndHashTaggedCompanionsNotKeysThatMerelyContainIt() {
        String prefix = "flextime:stream:";
        assertThat(SlotKeys.isUnder(prefix, "flextime:stream:orders")).isTrue();
        assertThat(SlotKeys.isUnder(prefix, "{flextime:stream:orders}.billing.dlq")).isTrue();
        assertThat(SlotKeys.isUnder(prefix, "old:flextime:stream:orders")).isFalse();
        assertThat(SlotKeys.isUnder(prefix, "{old:flextime:stream:orders}.dlq")).isFalse();
    }
}
