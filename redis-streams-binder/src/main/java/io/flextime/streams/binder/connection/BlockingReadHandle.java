package io.flextime.streams.binder.connection;

/**
 * What it takes to end a blocking read from another connection: the client id of the connection that carries
 * the read, and on a cluster the node it runs on ({@code host} is {@code null} on a standalone Redis). Client ids
 * are per node, so a {@code CLIENT UNBLOCK} must go to that same node.
 */
public record BlockingReadHandle(String host, int port, long clientId) {
}
