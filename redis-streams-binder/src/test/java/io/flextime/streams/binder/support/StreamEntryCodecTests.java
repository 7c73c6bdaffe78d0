package io.flextime.streams.binder.support;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.lettuce.core.StreamMessage;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.integration.channel.DirectChannel;
import org.springframework.messaging.Message;
import org.springframework.messaging.support.MessageBuilder;
import org.springframework.util.MimeTypeUtils;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The wire format on its own: what a message becomes as an entry's fields, and what a reader makes of them. */
class StreamEntryCodecTests {

    private final StreamEntryCodec codec = new StreamEntryCodec(JsonMapper.builder().build());

    @Test
    void everyHeaderComesBackWithItsValueAndItsType() {
        UUID trace = UUID.randomUUID();
        Map<String, Object> headers = new LinkedHashMap<>();
        headers.put("text", "grüße, \"quoted\"");
        headers.put("int", 7);
        headers.put("long", 8L);
        headers.put("short", (short) 9);
        headers.put("byte", (byte) -10);
        headers.put("double", 1.5d);
        headers.put("float", 2.25f);
        headers.put("boolean", true);
        headers.put("char", 'ß');
        headers.put("uuid", trace);
        headers.put("contentType", MimeTypeUtils.APPLICATION_JSON);
        headers.put("bytes", new byte[] { (byte) 0xff, 0, 1 });
        headers.put("json", Map.of("list", List.of(1, "two")));
        headers.put("quote\"d name", 3);

        Message<?> decoded = roundTrip(MessageBuilder.withPayload(new byte[] { 1, 2, 3 }).copyHeaders(headers).build());

        assertThat((byte[]) decoded.getPayload()).containsExactly(1, 2, 3);
        headers.forEach((name, value) -> {
            Object back = decoded.getHeaders().get(name);
            if (value instanceof byte[] bytes) {
                assertThat(back).as(name).isInstanceOf(byte[].class);
                assertThat((byte[]) back).as(name).containsExactly(bytes);
            }
            else if (value instanceof Map) {
                // Anything else travels as JSON and comes back as plain maps and lists.
                assertThat(back).as(name).isInstanceOf(Map.class).isEqualTo(value);
            }
            else {
                assertThat(back).as(name).isEqualTo(value).hasSameClassAs(value);
            }
        });
    }

    /**
     * Not written: headers every message gets anew ({@code id}, {@code timestamp}), the binder's own, channels, and
     * a header whose name would clash with the format's fields.
     */
    @Test
    void headersThatMeanNothingInAnotherProcessOrClashWithTheFormatAreNotWritten() {
        Message<byte[]> message = MessageBuilder.withPayload("p".getBytes(StandardCharsets.UTF_8))
                .setHeader(RedisStreamHeaders.STREAM, "elsewhere")
                .setHeader("replyTo", new DirectChannel())
                .setHeader(StreamEntryCodec.PAYLOAD_FIELD, "clash")
                .setHeader(StreamEntryCodec.HEADER_TYPES_FIELD, "clash")
                .setHeader("kept", "yes").build();

        List<String> names = fieldNames(this.codec.encode(message));

        assertThat(names).containsExactlyInAnyOrder(StreamEntryCodec.PAYLOAD_FIELD, "kept");
        assertThat(roundTrip(message).getPayload()).isEqualTo("p".getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The partition picked the stream key and means nothing after it; read back, a natively encoding function's
     * output would inherit it and go to its input's partition.
     */
    @Test
    void thePartitionHeaderIsNeitherWrittenNorReadBack() {
        Message<byte[]> partitioned = MessageBuilder.withPayload(new byte[] { 1 }).setHeader("scst_partition", 2).build();
        assertThat(fieldNames(this.codec.encode(partitioned))).doesNotContain("scst_partition");

        Map<byte[], byte[]> olderEntry = new LinkedHashMap<>();
        olderEntry.put(bytes(StreamEntryCodec.PAYLOAD_FIELD), bytes("x"));
        olderEntry.put(bytes("scst_partition"), bytes("2"));
        olderEntry.put(bytes(StreamEntryCodec.HEADER_TYPES_FIELD), bytes("{\"scst_partition\":\"int\"}"));
        assertThat(this.codec.decode("orders-2", new StreamMessage<>(bytes("orders-2"), "1-0", olderEntry), Map.of(),
                PayloadReader.BYTES).getHeaders()).doesNotContainKey("scst_partition");
    }

    @Test
    void anEntryWithoutPayloadOrWithAHeaderThatIsNotItsTypeIsMalformed() {
        Map<byte[], byte[]> noPayload = new LinkedHashMap<>();
        noPayload.put(bytes("kept"), bytes("yes"));
        Map<byte[], byte[]> badInt = new LinkedHashMap<>();
        badInt.put(bytes(StreamEntryCodec.PAYLOAD_FIELD), bytes("{}"));
        badInt.put(bytes("attempt"), bytes("seven"));
        badInt.put(bytes(StreamEntryCodec.HEADER_TYPES_FIELD), bytes("{\"attempt\":\"int\"}"));

        assertThatThrownBy(() -> this.codec.decode("orders", new StreamMessage<>(bytes("orders"), "1-0", noPayload), Map.of(),
                PayloadReader.BYTES))
                .isInstanceOf(MalformedEntryException.class).hasMessageContaining("no 'payload' field");
        assertThatThrownBy(() -> this.codec.decode("orders", new StreamMessage<>(bytes("orders"), "1-1", badInt), Map.of(),
                PayloadReader.BYTES))
                .isInstanceOf(MalformedEntryException.class).hasMessageContaining("header 'attempt' is not a valid int");
    }

    /** With native encoding the framework leaves the payload as it is: the codec writes it as JSON, as the framework would. */
    @Test
    void aPayloadThatIsNeitherBytesNorTextIsWrittenAsJsonAndReadBackAsThePayloadType() {
        Message<Point> message = MessageBuilder.withPayload(new Point("p-1", 3)).build();

        byte[][] fields = this.codec.encode(message);

        assertThat(new String(fields[1], StandardCharsets.UTF_8)).isEqualTo("{\"name\":\"p-1\",\"x\":3}");
        assertThat(fieldNames(fields)).containsExactly(StreamEntryCodec.PAYLOAD_FIELD, "contentType");
        assertThat(roundTrip(message, this.codec.payloadReader(Point.class)).getPayload()).isEqualTo(new Point("p-1", 3));
        // A JSON content type the message names is kept; any other (inherited from a Function's input) is not.
        Message<Point> cloudEvent = MessageBuilder.withPayload(new Point("p-2", 4))
                .setHeader("contentType", "application/cloudevents+json").build();
        assertThat(roundTrip(cloudEvent).getHeaders()).containsEntry("contentType", "application/cloudevents+json");
        Message<Point> text = MessageBuilder.withPayload(new Point("p-3", 5)).setHeader("contentType", "text/plain").build();
        assertThat(fieldNames(this.codec.encode(text))).containsOnlyOnce("contentType");
        assertThat(roundTrip(text).getHeaders()).containsEntry("contentType", "application/json");
    }

    /** Text and bytes are written as they are, so a native reader of String or byte[] takes them as they are. */
    @Test
    void textAndBytesPayloadTypesAreReadAsWritten() {
        Message<String> text = MessageBuilder.withPayload("plain, not \"JSON\"").build();

        assertThat(roundTrip(text, this.codec.payloadReader(String.class)).getPayload()).isEqualTo("plain, not \"JSON\"");
        assertThat((byte[]) roundTrip(MessageBuilder.withPayload(new byte[] { 7, 0 }).build(),
                this.codec.payloadReader(byte[].class)).getPayload()).containsExactly(7, 0);
    }

    @Test
    void aPayloadThatCannotBeWrittenOrReadAsJsonIsAClearError() {
        assertThatThrownBy(() -> this.codec.encode(MessageBuilder.withPayload(new Unwritable()).build()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cannot write the " + Unwritable.class.getName()
                        + " payload as JSON (use-native-encoding is on, so the binder writes it): no value yet");
        Map<byte[], byte[]> body = new LinkedHashMap<>();
        body.put(bytes(StreamEntryCodec.PAYLOAD_FIELD), bytes("{\"name\": 7, \"x\": \"seven\"}"));

        assertThatThrownBy(() -> this.codec.decode("points", new StreamMessage<>(bytes("points"), "1-2", body), Map.of(),
                this.codec.payloadReader(Point.class))).isInstanceOf(MalformedEntryException.class)
                .hasMessageContaining("Malformed entry 1-2 in stream 'points': the payload is not a JSON "
                        + Point.class.getName() + " (payload-type)");
    }

    private Message<?> roundTrip(Message<?> message) {
        return roundTrip(message, PayloadReader.BYTES);
    }

    private Message<?> roundTrip(Message<?> message, PayloadReader payloads) {
        byte[][] fields = this.codec.encode(message);
        Map<byte[], byte[]> body = new LinkedHashMap<>();
        for (int i = 0; i < fields.length; i += 2) {
            body.put(fields[i], fields[i + 1]);
        }
        return this.codec.decode("orders", new StreamMessage<>(bytes("orders"), "1-0", body), Map.of(), payloads);
    }

    record Point(String name, int x) {
    }

    static class Unwritable {

        public String getValue() {
            throw new IllegalStateException("no value yet");
        }
    }

    private static List<String> fieldNames(byte[][] fields) {
        List<String> names = new java.util.ArrayList<>();
        for (int i = 0; i < fields.length; i += 2) {
            names.add(new String(fields[i], StandardCharsets.UTF_8));
        }
        return names;
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
