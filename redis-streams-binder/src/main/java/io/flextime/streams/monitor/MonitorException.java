package io.flextime.streams.monitor;

/** A monitoring pass that could not complete: Redis unreachable, too slow, or refusing discovery. */
public class MonitorException extends RuntimeException {

    public MonitorException(String message, Throwable cause) {
        super(message, cause);
    }
}
