package io.flextime.streams.binder.properties;

/** Where a consumer group that does not exist yet starts reading. An existing group keeps its position. */
public enum StartOffset {

    /** From the first entry still in the stream ({@code XGROUP CREATE ... 0}). */
    EARLIEST("0"),

    /** Only entries added after the group was created ({@code XGROUP CREATE ... $}). */
    LATEST("$");

    private final String id;

    StartOffset(String id) {
        this.id = id;
    }

    /** The id given to {@code XGROUP CREATE}. */
    public String groupCreateId() {
        return this.id;
    }
}
