package io.flextime.streams.binder.properties;

/** Who acknowledges a consumed entry. */
public enum AcknowledgeMode {

    /** The binder, once the handler returned (or the error flow dealt with its failure). */
    AUTO,

    /** The handler, through the {@code AcknowledgmentCallback} in the message's {@code acknowledgmentCallback} header. */
    MANUAL
}
