package io.flextime.streams.binder.inbound;

import java.net.InetAddress;
import java.net.UnknownHostException;

import org.springframework.util.StringUtils;

/**
 * Consumer names must be stable across restarts: reading with id {@code 0} returns only the reader's own
 * pending entries, so a restarted instance recovers its unfinished work only under the same name.
 */
public final class ConsumerNames {

    private ConsumerNames() {
    }

    /** The configured name, or {@code <host name>-<instanceIndex>}. */
    public static String base(String configured, int instanceIndex) {
        if (StringUtils.hasText(configured)) {
            return configured;
        }
        return hostName() + "-" + Math.max(0, instanceIndex);
    }

    /** Reader {@code n} of an instance: {@code <base>-<n>}. */
    public static String reader(String base, int readerIndex) {
        return base + "-" + readerIndex;
    }

    private static String hostName() {
        String fromEnvironment = System.getenv("HOSTNAME");
        if (StringUtils.hasText(fromEnvironment)) {
            return fromEnvironment;
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        }
        catch (UnknownHostException ex) {
            return "localhost";
        }
    }
}
