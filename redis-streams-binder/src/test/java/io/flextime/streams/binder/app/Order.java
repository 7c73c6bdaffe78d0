package io.flextime.streams.binder.app;

/** A JSON POJO for the application tests. */
public record Order(String id, String customer, int sequence, long amountCents) {
}
