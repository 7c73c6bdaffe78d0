package io.flextime.streams.binder.provisioning;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;

import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.XGroupCreateArgs;
import io.lettuce.core.XReadArgs;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.cloud.stream.binder.ExtendedConsumerProperties;
import org.springframework.cloud.stream.binder.ExtendedProducerProperties;
import org.springframework.cloud.stream.provisioning.ConsumerDestination;
import org.springframework.cloud.stream.provisioning.ProducerDestination;
import org.springframework.cloud.stream.provisioning.ProvisioningException;
import org.springframework.cloud.stream.provisioning.ProvisioningProvider;
import org.springframework.util.StringUtils;

import io.flextime.streams.binder.connection.RedisStreamsConnector;
import io.flextime.streams.binder.connection.StreamConnection;
import io.flextime.streams.binder.properties.RedisConsumerProperties;
import io.flextime.streams.binder.properties.RedisProducerProperties;
import io.flextime.streams.binder.properties.StartOffset;

import static java.nio.charset.StandardCharsets.UTF_8;

/**
 * Creates streams and consumer groups. A stream exists once it has a group ({@code XGROUP CREATE ...
 * MKSTREAM}) or an entry; a group that already exists keeps its position ({@code BUSYGROUP} is fine).
 */
public class RedisStreamProvisioner implements
        ProvisioningProvider<ExtendedConsumerProperties<RedisConsumerProperties>, ExtendedProducerProperties<RedisProducerProperties>> {

    /**
     * Prefix of the throw-away groups of anonymous consumers; they are deleted on unbind, and those a crash left
     * behind when another anonymous consumer binds ({@link AbandonedAnonymousGroups}).
     */
    public static final String ANONYMOUS_GROUP_PREFIX = "anonymous.";

    private static final Log logger = LogFactory.getLog(RedisStreamProvisioner.class);

    private final RedisStreamsConnector connector;

    private final String prefix;

    public RedisStreamProvisioner(RedisStreamsConnector connector, String prefix) {
        this.connector = connector;
        this.prefix = prefix;
    }

    @Override
    public ProducerDestination provisionProducerDestination(String name,
            ExtendedProducerProperties<RedisProducerProperties> properties) {
        boolean partitioned = properties.isPartitioned();
        List<String> keys = partitioned
                ? StreamKeys.partitionKeys(this.prefix, name, IntStream.range(0, properties.getPartitionCount()).boxed().toList())
                : List.of(StreamKeys.key(this.prefix, name));
        String[] requiredGroups = properties.getRequiredGroups();
        if (requiredGroups != null) {
            // Groups created now see every entry added from now on, before any consumer of theirs exists.
            for (String group : requiredGroups) {
                for (String key : keys) {
                    createGroup(key, group, StartOffset.LATEST);
                }
            }
        }
        return new RedisStreamDestination(name, keys, partitioned, null, false);
    }

    @Override
    public ConsumerDestination provisionConsumerDestination(String name, String group,
            ExtendedConsumerProperties<RedisConsumerProperties> properties) {
        // Before any Redis call: settings Redis would misbehave with create no stream or group either.
        properties.getExtension().validate(properties.isUseNativeDecoding());
        boolean anonymous = !StringUtils.hasText(group);
        String effectiveGroup = anonymous ? ANONYMOUS_GROUP_PREFIX + UUID.randomUUID() : group;
        StartOffset start = anonymous ? StartOffset.LATEST : properties.getExtension().getStartOffset();
        // With multiplex the framework hands over the whole comma-separated list: one binding reads every stream.
        List<String> names = properties.isMultiplex() ? List.of(StringUtils.tokenizeToStringArray(name, ",")) : List.of(name);
        List<String> keys = new ArrayList<>();
        for (String each : names) {
            warnIfPartitioningDiffers(each, properties.isPartitioned(), onePartitionPerInstance(properties)
                    ? properties.getInstanceCount() : 0);
            keys.addAll(properties.isPartitioned()
                    ? StreamKeys.partitionKeys(this.prefix, each, consumedPartitions(properties))
                    : List.of(StreamKeys.key(this.prefix, each)));
        }
        for (String key : keys) {
            createGroup(key, effectiveGroup, start);
            if (anonymous) {
                AbandonedAnonymousGroups.remove(this.connector.shared(), key, effectiveGroup,
                        properties.getExtension().getDeadConsumerIdle());
            }
        }
        return new RedisStreamDestination(name, keys, properties.isPartitioned(), effectiveGroup, anonymous);
    }

    /**
     * A partitioned producer writes {@code <destination>-<n>}, an unpartitioned one {@code <destination>}; a
     * consumer that disagrees with its producer reads a stream nobody writes, and receives nothing without a word.
     * Likewise, when each instance reads one partition, entries in partition {@code instanceCount} (and so in every
     * one above it, as a producer writes partitions {@code 0} to {@code partition-count - 1}) are read by no
     * instance: the instance count is lower than the producer's partition count, or was lowered with entries still
     * there. Checked before the group's {@code MKSTREAM} creates the key this consumer reads.
     * @param instanceCount the instances, each reading one partition; 0 when that is not how partitions are shared
     */
    private void warnIfPartitioningDiffers(String destination, boolean partitioned, int instanceCount) {
        String plain = StreamKeys.key(this.prefix, destination);
        String firstPartition = StreamKeys.partitionKey(this.prefix, destination, 0);
        String firstUnread = StreamKeys.partitionKey(this.prefix, destination, instanceCount);
        try {
            StreamConnection connection = this.connector.shared();
            // All sent before any is awaited: one round trip at bind.
            RedisFuture<Long> plainLength = connection.async().xlen(plain.getBytes(UTF_8));
            RedisFuture<Long> partitionLength = connection.async().xlen(firstPartition.getBytes(UTF_8));
            RedisFuture<Long> unreadLength = partitioned && instanceCount > 0
                    ? connection.async().xlen(firstUnread.getBytes(UTF_8)) : null;
            long plainEntries = connection.await(plainLength);
            long partitionEntries = connection.await(partitionLength);
            if (unreadLength != null && connection.await(unreadLength) > 0) {
                logger.warn("Destination '" + destination + "' has entries in '" + firstUnread + "', but instance-count is "
                        + instanceCount + ": no instance reads partition " + instanceCount + " or above. "
                        + "Set instance-count to the producer's partition-count");
            }
            if (!partitioned && plainEntries == 0 && partitionEntries > 0) {
                logger.warn("Destination '" + destination + "' is written partitioned ('" + firstPartition + "' holds "
                        + "entries), but this consumer is not partitioned and reads '" + plain + "', which nobody "
                        + "writes: set partitioned=true (with instance-count and instance-index) on the consumer");
            }
            else if (partitioned && partitionEntries == 0 && plainEntries > 0) {
                logger.warn("Destination '" + destination + "' is written unpartitioned ('" + plain + "' holds entries), "
                        + "but this consumer is partitioned and reads '" + firstPartition + "' and its siblings, which "
                        + "nobody writes: drop partitioned=true, or partition the producer");
            }
        }
        catch (RedisException ex) {
            // Only a hint; the group's creation right after reports an unreachable Redis properly.
        }
    }

    /**
     * Recreates a group that vanished, e.g. after Redis restarted without persistence. The stream is
     * recreated too when it is gone.
     */
    public void recreateGroup(String key, String group, StartOffset start) {
        createGroup(key, group, start);
    }

    /** Deletes an anonymous consumer's group from every key it read. Named groups are never deleted here. */
    public void deleteAnonymousGroup(RedisStreamDestination destination) {
        if (!destination.anonymous()) {
            return;
        }
        StreamConnection connection = this.connector.sharedIfOpened();
        if (connection == null || !connection.isOpen()) {
            // Waiting here would hold up shutdown by a command timeout per anonymous binding.
            logger.warn("Redis is unreachable: anonymous group '" + destination.group() + "' stays on "
                    + destination.keys() + "; delete it with XGROUP DESTROY once Redis is back");
            return;
        }
        try {
            for (String key : destination.keys()) {
                connection.await(connection.async().xgroupDestroy(key.getBytes(UTF_8), destination.group().getBytes(UTF_8)));
            }
        }
        catch (RedisException ex) {
            logger.warn("Could not delete anonymous group '" + destination.group() + "' on " + destination.keys()
                    + "; delete it with XGROUP DESTROY: " + ex.getMessage());
        }
    }

    /**
     * Whether each instance reads the one partition of its {@code instance-index}, so that {@code instance-count}
     * partitions are read in all. With {@code instance-index-list} an instance reads several, and how the lists of
     * the instances cover the partitions is not known here.
     */
    private static boolean onePartitionPerInstance(ExtendedConsumerProperties<RedisConsumerProperties> properties) {
        return properties.getInstanceIndexList() == null || properties.getInstanceIndexList().isEmpty();
    }

    /**
     * The partition one consumer binding reads: its {@code instanceIndex}. The framework's binding service turns
     * {@code instance-index-list: 0,2} into one binding per listed index, each a copy of the properties (list
     * included) with {@code instanceIndex} set, as for the Rabbit binder; reading the whole list here would make
     * every one of those bindings read every listed partition.
     */
    static List<Integer> consumedPartitions(ExtendedConsumerProperties<RedisConsumerProperties> properties) {
        if (properties.getInstanceIndex() < 0) {
            throw new ProvisioningException("A partitioned consumer needs spring.cloud.stream.instanceIndex "
                    + "(or instanceIndexList) to know which partitions it reads");
        }
        return List.of(properties.getInstanceIndex());
    }

    private void createGroup(String key, String group, StartOffset start) {
        try {
            StreamConnection connection = this.connector.shared();
            connection.await(connection.async().xgroupCreate(
                    XReadArgs.StreamOffset.from(key.getBytes(UTF_8), start.groupCreateId()), group.getBytes(UTF_8),
                    XGroupCreateArgs.Builder.mkstream()));
            logger.debug("Created group '" + group + "' on stream '" + key + "' at " + start);
        }
        catch (RedisCommandExecutionException ex) {
            if (ex.getMessage() == null || !ex.getMessage().startsWith("BUSYGROUP")) {
                throw new ProvisioningException("Cannot create group '" + group + "' on stream '" + key + "' at "
                        + this.connector.endpoint() + ": " + ex.getMessage(), ex);
            }
        }
        catch (RedisException ex) {
            throw new ProvisioningException(this.connector.unavailable(ex).getMessage(), ex);
        }
        catch (org.springframework.data.redis.RedisConnectionFailureException ex) {
            throw new ProvisioningException(ex.getMessage(), ex);
        }
    }
}
