package io.flextime.streams.binder.support;

/** What a consumer binding makes of an entry's payload bytes before the message reaches the framework. */
@FunctionalInterface
public interface PayloadReader {

    /** The bytes as they are: Spring Cloud Stream converts them (the default), or the handler takes bytes. */
    PayloadReader BYTES = (stream, id, payload) -> payload;

    /**
     * @throws MalformedEntryException when the payload cannot be read; the entry is dead-lettered as it is
     */
    Object read(String stream, String id, byte[] payload);
}
