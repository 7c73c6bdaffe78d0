package io.flextime.streams.binder.provisioning;

import java.util.ArrayList;
import java.util.List;

/**
 * Stream key names: {@code <prefix><destination>}, and {@code <prefix><destination>-<n>} for partition n.
 * One key per partition keeps each partition a separate stream, which in Redis Cluster can live on its
 * own shard and is read with its own {@code XREADGROUP}.
 */
public final class StreamKeys {

    private StreamKeys() {
    }

    public static String key(String prefix, String destination) {
        return prefix + destination;
    }

    public static String partitionKey(String prefix, String destination, int partition) {
        return prefix + destination + "-" + partition;
    }

    public static List<String> partitionKeys(String prefix, String destination, List<Integer> partitions) {
        List<String> keys = new ArrayList<>(partitions.size());
        for (int partition : partitions) {
            keys.add(partitionKey(prefix, destination, partition));
        }
        return keys;
    }
}
