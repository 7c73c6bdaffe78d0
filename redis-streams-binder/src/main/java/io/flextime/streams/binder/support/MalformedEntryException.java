package io.flextime.streams.binder.support;

/** A stream entry the binder cannot turn into a message: no payload field, or a header it cannot decode. */
public class MalformedEntryException extends RuntimeException {

    private final String stream;

    private final String recordId;

    public MalformedEntryException(String stream, String recordId, String reason, Throwable cause) {
        super("Malformed entry " + recordId + " in stream '" + stream + "': " + reason, cause);
        this.stream = stream;
        this.recordId = recordId;
    }

    public String getStream() {
        return this.stream;
    }

    public String getRecordId() {
        return this.recordId;
    }
}
