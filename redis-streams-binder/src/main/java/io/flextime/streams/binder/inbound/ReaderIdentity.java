package io.flextime.streams.binder.inbound;

/** Who read an entry: the stream key, the group and the consumer name within it. */
public record ReaderIdentity(String stream, String group, String consumer) {

    @Override
    public String toString() {
        return "stream '" + this.stream + "', group '" + this.group + "', consumer '" + this.consumer + "'";
    }
}
