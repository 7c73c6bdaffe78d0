package io.flextime.streams.binder.connection;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/** The parts of a {@code redis://[user:password@]host[:port][/database]} or {@code rediss://} URL. */
record RedisUrl(String host, int port, int database, String username, String password, boolean ssl) {

    static RedisUrl parse(String text) {
        URI uri = URI.create(text.trim());
        String scheme = uri.getScheme();
        if (!"redis".equals(scheme) && !"rediss".equals(scheme)) {
            throw new IllegalArgumentException("Redis URL must start with redis:// or rediss://, got '" + text + "'");
        }
        if (uri.getHost() == null) {
            throw new IllegalArgumentException("Redis URL has no host: '" + text + "'");
        }
        String username = null;
        String password = null;
        if (uri.getRawUserInfo() != null) {
            String[] parts = uri.getRawUserInfo().split(":", 2);
            if (parts.length == 2) {
                username = parts[0].isEmpty() ? null : decode(parts[0]);
                password = decode(parts[1]);
            }
            else {
                password = decode(parts[0]);
            }
        }
        int database = 0;
        String path = uri.getPath();
        if (path != null && path.length() > 1) {
            try {
                database = Integer.parseInt(path.substring(1));
            }
            catch (NumberFormatException ex) {
                throw new IllegalArgumentException("Redis URL database must be a number: '" + text + "'", ex);
            }
        }
        return new RedisUrl(uri.getHost(), uri.getPort() > 0 ? uri.getPort() : 6379, database, username, password,
                "rediss".equals(scheme));
    }

    /** Percent-decoding only: URLDecoder's form decoding would turn a '+' in a password into a space. */
    private static String decode(String value) {
        return URLDecoder.decode(value.replace("+", "%2B"), StandardCharsets.UTF_8);
    }
}
