package io.flextime.streams.binder.provisioning;

import java.util.List;

import org.springframework.cloud.stream.provisioning.ConsumerDestination;
import org.springframework.cloud.stream.provisioning.ProducerDestination;

/**
 * A provisioned destination: its stream keys and, for a consumer, the group that reads them.
 *
 * @param name the destination as bound
 * @param keys the stream keys: one, or one per partition (producer: all partitions; consumer: its own); a
 * multiplexed consumer's for each destination of its list
 * @param partitioned whether {@code keys} are partition keys
 * @param group the consumer group (generated for anonymous consumers); {@code null} for producers
 * @param anonymous whether the group is a throw-away group to delete on unbind
 */
public record RedisStreamDestination(String name, List<String> keys, boolean partitioned, String group,
        boolean anonymous) implements ProducerDestination, ConsumerDestination {

    @Override
    public String getName() {
        return this.name;
    }

    /** For a producer, the key of partition {@code partition}; keys are listed in partition order. */
    @Override
    public String getNameForPartition(int partition) {
        return this.partitioned ? this.keys.get(partition) : this.keys.get(0);
    }
}
