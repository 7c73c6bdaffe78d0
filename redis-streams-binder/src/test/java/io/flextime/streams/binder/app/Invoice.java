package io.flextime.streams.binder.app;

/** What the chain's Function makes of an {@link Order}. */
public record Invoice(String orderId, String customer, int sequence, long totalCents) {
}
