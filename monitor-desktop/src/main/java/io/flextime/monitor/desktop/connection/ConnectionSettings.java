package io.flextime.monitor.desktop.connection;

import io.lettuce.core.RedisURI;

/**
 * Where the monitor connects and what it watches.
 *
 * @param host Redis host
 * @param port Redis port
 * @param username ACL user, or {@code null}
 * @param password password, or {@code null}
 * @param database database index
 * @param tls whether to use TLS
 * @param prefix the key prefix of the streams to watch
 */
public record ConnectionSettings(String host, int port, String username, String password, int database, boolean tls,
        String prefix) {

    public static final ConnectionSettings DEFAULTS = new ConnectionSettings("localhost", 6379, null, null, 1, false,
            "flextime:stream:");

    public RedisURI redisUri() {
        RedisURI.Builder builder = RedisURI.builder().withHost(this.host).withPort(this.port).withDatabase(this.database)
                .withSsl(this.tls);
        if (this.password != null && !this.password.isEmpty()) {
            if (this.username != null && !this.username.isEmpty()) {
                builder.withAuthentication(this.username, this.password.toCharArray());
            }
            else {
                builder.withPassword(this.password.toCharArray());
            }
        }
        return builder.build();
    }

    /** For the status bar and window title; never shows the password. */
    public String describe() {
        return (this.tls ? "rediss://" : "redis://") + (this.username == null || this.username.isEmpty() ? "" : this.username + "@")
                + this.host + ":" + this.port + "/" + this.database + " " + this.prefix + "*";
    }

    public ConnectionSettings withoutPassword() {
        return new ConnectionSettings(this.host, this.port, this.username, null, this.database, this.tls, this.prefix);
    }

    /** Never shows the password, so settings can be logged or printed safely. */
    @Override
    public String toString() {
        return "ConnectionSettings[" + describe() + (this.password == null ? "" : ", password=****") + "]";
    }
}
