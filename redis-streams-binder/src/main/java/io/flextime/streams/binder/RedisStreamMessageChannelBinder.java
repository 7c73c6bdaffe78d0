package io.flextime.streams.binder;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.micrometer.observation.ObservationRegistry;

import org.springframework.cloud.function.context.FunctionCatalog;
import org.springframework.cloud.function.context.catalog.SimpleFunctionRegistry.FunctionInvocationWrapper;
import org.springframework.cloud.stream.binder.AbstractMessageChannelBinder;
import org.springframework.cloud.stream.binder.BinderSpecificPropertiesProvider;
import org.springframework.cloud.stream.binder.ExtendedConsumerProperties;
import org.springframework.cloud.stream.binder.ExtendedProducerProperties;
import org.springframework.cloud.stream.binder.ExtendedPropertiesBinder;
import org.springframework.cloud.stream.binder.HeaderMode;
import org.springframework.cloud.stream.binder.PartitionHandler;
import org.springframework.cloud.stream.provisioning.ConsumerDestination;
import org.springframework.cloud.stream.provisioning.ProducerDestination;
import org.springframework.integration.core.MessageProducer;
import org.springframework.integration.expression.ExpressionUtils;
import org.springframework.messaging.MessageChannel;
import org.springframework.messaging.MessageHandler;
import org.springframework.messaging.SubscribableChannel;
import org.springframework.util.Assert;
import org.springframework.util.ClassUtils;
import org.springframework.util.StringUtils;

import io.flextime.streams.binder.connection.RedisStreamsConnector;
import io.flextime.streams.binder.deadletter.DeadLetterErrorHandler;
import io.flextime.streams.binder.deadletter.DeadLetterStreams;
import io.flextime.streams.binder.deadletter.DeadLetterWriter;
import io.flextime.streams.binder.inbound.ConsumerNames;
import io.flextime.streams.binder.metrics.BinderMetrics;
import io.flextime.streams.binder.inbound.ReaderIdentity;
import io.flextime.streams.binder.inbound.RedisStreamInboundChannelAdapter;
import io.flextime.streams.binder.inbound.RedisStreamMessageSource;
import io.flextime.streams.binder.outbound.PipelinedSendsDrain;
import io.flextime.streams.binder.outbound.RedisStreamMessageHandler;
import io.flextime.streams.binder.properties.RedisBinderConfigurationProperties;
import io.flextime.streams.binder.properties.RedisConsumerProperties;
import io.flextime.streams.binder.properties.RedisExtendedBindingProperties;
import io.flextime.streams.binder.properties.RedisProducerProperties;
import io.flextime.streams.binder.properties.StartOffset;
import io.flextime.streams.binder.provisioning.RedisStreamDestination;
import io.flextime.streams.binder.provisioning.RedisStreamProvisioner;
import io.flextime.streams.binder.support.HandlerPayloads;
import io.flextime.streams.binder.support.PayloadReader;
import io.flextime.streams.binder.support.StreamEntryCodec;

/**
 * The Spring Cloud Stream binder for Redis Streams (binder type {@code redis}). Provisioning lives in
 * {@link RedisStreamProvisioner}, the outbound side in {@link RedisStreamMessageHandler} and the inbound
 * side in {@link RedisStreamInboundChannelAdapter}; this class wires them to the framework.
 */
public class RedisStreamMessageChannelBinder extends
        AbstractMessageChannelBinder<ExtendedConsumerProperties<RedisConsumerProperties>, ExtendedProducerProperties<RedisProducerProperties>, RedisStreamProvisioner>
        implements ExtendedPropertiesBinder<MessageChannel, RedisConsumerProperties, RedisProducerProperties> {

    private final RedisStreamsConnector connector;

    private final StreamEntryCodec codec;

    private final DeadLetterWriter deadLetterWriter;

    private final DeadLetterStreams deadLetterStreams = new DeadLetterStreams();

    /** A function's input binding by the framework's naming: {@code <function>-in-<index>}. */
    private static final Pattern FUNCTION_INPUT = Pattern.compile("(.+)-in-\\d+");

    private final BinderMetrics metrics;

    /** Error channels of bindings whose first destination got the framework's error handler (weak: unbound ones go). */
    private final Set<SubscribableChannel> servedErrorChannels = Collections.synchronizedSet(
            Collections.newSetFromMap(new WeakHashMap<>()));

    private ObservationRegistry observations = ObservationRegistry.NOOP;

    private PipelinedSendsDrain drain;

    private final RedisBinderConfigurationProperties binderProperties;

    private final RedisExtendedBindingProperties extendedBindingProperties;

    public RedisStreamMessageChannelBinder(RedisStreamProvisioner provisioner, RedisStreamsConnector connector,
            StreamEntryCodec codec, RedisBinderConfigurationProperties binderProperties,
            RedisExtendedBindingProperties extendedBindingProperties, BinderMetrics metrics) {
        super(new String[0], provisioner);
        this.connector = connector;
        this.codec = codec;
        this.metrics = metrics;
        this.deadLetterWriter = new DeadLetterWriter(connector, codec, metrics);
        this.binderProperties = binderProperties;
        this.extendedBindingProperties = extendedBindingProperties;
    }

    /** The application's drain of pipelined sends (see {@link PipelinedSendsDrain}); every producer registers. */
    public void setDrain(PipelinedSendsDrain drain) {
        this.drain = drain;
    }

    /** Trace propagation through the entries; the application's registry when Micrometer Tracing is present. */
    public void setObservations(ObservationRegistry observations) {
        this.observations = observations;
    }

    @Override
    protected MessageHandler createProducerMessageHandler(ProducerDestination destination,
            ExtendedProducerProperties<RedisProducerProperties> producerProperties, MessageChannel errorChannel) {
        Assert.state(!HeaderMode.embeddedHeaders.equals(producerProperties.getHeaderMode()),
                "The Redis Streams binder does not embed headers: every header is a field of the stream entry");
        RedisProducerProperties extension = producerProperties.getExtension();
        Assert.state(extension.getWaitReplicas() == 0 || !this.connector.isCluster(), "waitReplicas is not supported on "
                + "Redis Cluster: WAIT would have to go to each key's master after each batch of its writes");
        RedisStreamMessageHandler handler = new RedisStreamMessageHandler(this.connector, this.codec,
                (RedisStreamDestination) destination, extension, errorChannel, getErrorMessageStrategy(), this.metrics);
        if (StringUtils.hasText(extension.getRecordMetadataChannel())) {
            handler.setRecordMetadataChannel(
                    getApplicationContext().getBean(extension.getRecordMetadataChannel(), MessageChannel.class));
        }
        if (producerProperties.isPartitioned() && producerProperties.isUseNativeEncoding()) {
            // The framework gives the binder the application's context (not the binder's own child context), so
            // strategy beans the framework would find by type are found here too.
            handler.setPartitionHandler(new PartitionHandler(ExpressionUtils.createStandardEvaluationContext(getBeanFactory()),
                    producerProperties, getBeanFactory()));
        }
        handler.setBeanFactory(getBeanFactory());
        handler.setBeanName("outbound." + destination.getName());
        handler.setObservations(this.observations);
        handler.setDrain(this.drain);
        return handler;
    }

    @Override
    protected MessageProducer createConsumerEndpoint(ConsumerDestination destination, String group,
            ExtendedConsumerProperties<RedisConsumerProperties> properties) {
        Assert.state(!HeaderMode.embeddedHeaders.equals(properties.getHeaderMode()),
                "The Redis Streams binder does not embed headers: every header is a field of the stream entry");
        RedisStreamDestination streams = (RedisStreamDestination) destination;
        RedisConsumerProperties extension = properties.getExtension();
        RedisStreamInboundChannelAdapter adapter = new RedisStreamInboundChannelAdapter(this.connector, this.codec,
                readerIdentities(streams, properties, Math.max(1, properties.getConcurrency())), extension,
                properties.isBatchMode(), groupRecreator(streams, extension), this.metrics);
        if (!streams.anonymous()) {
            streams.keys().forEach(key -> this.metrics.watch(key, streams.group()));
        }
        adapter.setBeanFactory(getBeanFactory());
        adapter.setPayloadReader(payloadReader(properties));
        adapter.setObservations(this.observations);
        adapter.setBeanName("inbound." + destination.getName() + "." + streams.group());
        ErrorInfrastructure errorInfrastructure = registerErrorInfrastructure(destination, group, properties);
        adapter.setErrorChannel(errorInfrastructure.getErrorChannel());
        adapter.setErrorMessageStrategy(getErrorMessageStrategy());
        if (properties.getMaxAttempts() > 1) {
            adapter.setRetry(buildRetryTemplate(properties), errorInfrastructure.getRecoverer());
        }
        if (deadLettering(streams, extension)) {
            adapter.setDeadLetters(this.deadLetterWriter, deadLetterStreams(streams, extension));
        }
        return adapter;
    }

    /**
     * Subscribed to the binding's error channel in place of the framework's rethrowing handler: exhausted
     * and malformed messages go to the dead-letter stream, and the original is then acknowledged. A user
     * {@code error-handler-definition} takes precedence (the framework subscribes it instead).
     */
    @Override
    protected MessageHandler getErrorMessageHandler(ConsumerDestination destination, String group,
            ExtendedConsumerProperties<RedisConsumerProperties> properties) {
        RedisStreamDestination streams = (RedisStreamDestination) destination;
        if (errorHandlerSubscribedBefore(destination, group, properties) || !deadLettering(streams, properties.getExtension())) {
            return null;
        }
        return new DeadLetterErrorHandler(this.deadLetterWriter, this.connector,
                deadLetterStreams(streams, properties.getExtension()), streams.group());
    }

    /** The framework's rethrowing handler, except where the binding's error channel has its handler already. */
    @Override
    protected MessageHandler getDefaultErrorMessageHandler(SubscribableChannel errorChannel, boolean polled) {
        return this.servedErrorChannels.contains(errorChannel) ? null : super.getDefaultErrorMessageHandler(errorChannel, polled);
    }

    /**
     * Whether an earlier destination of the same binding (a comma-separated {@code destination}) had the framework
     * subscribe an error handler to the binding's error channel, which all of them share. That handler serves
     * them all: a dead-letter handler sends each entry to its own stream's dead-letter stream
     * ({@link DeadLetterStreams}). Offered another, the framework would log for every further destination that
     * "no more subscribers could be added which may affect DLQ processing", though nothing is missing.
     */
    private boolean errorHandlerSubscribedBefore(ConsumerDestination destination, String group,
            ExtendedConsumerProperties<RedisConsumerProperties> properties) {
        if (!getApplicationContext().containsBean(getErrorMessageHandlerName(destination, group, properties))) {
            return false;
        }
        this.servedErrorChannels.add(getApplicationContext().getBean(errorsBaseName(destination, group, properties),
                SubscribableChannel.class));
        return true;
    }

    /** Anonymous groups are throw-away, so they get no dead-letter stream: a failure stays pending until unbind. */
    private static boolean deadLettering(RedisStreamDestination destination, RedisConsumerProperties properties) {
        return properties.isDeadLetterEnabled() && !destination.anonymous();
    }

    /** Registers the binding's configured dead-letter stream, if any, for its keys so a shared error handler finds it. */
    private DeadLetterStreams deadLetterStreams(RedisStreamDestination destination, RedisConsumerProperties properties) {
        this.deadLetterStreams.register(destination.keys(), destination.group(),
                StringUtils.hasText(properties.getDeadLetterStream()) ? properties.getDeadLetterStream() : null);
        return this.deadLetterStreams;
    }

    /** A {@code PollableMessageSource} binding: one non-blocking reader per stream key, consumer name {@code <base>-0}. */
    @Override
    protected PolledConsumerResources createPolledConsumerResources(String name, String group,
            ConsumerDestination destination, ExtendedConsumerProperties<RedisConsumerProperties> properties) {
        RedisStreamDestination streams = (RedisStreamDestination) destination;
        RedisConsumerProperties extension = properties.getExtension();
        RedisStreamMessageSource source = new RedisStreamMessageSource(this.connector, this.codec,
                readerIdentities(streams, properties, 1), extension, groupRecreator(streams, extension));
        source.setBeanFactory(getBeanFactory());
        source.setPayloadReader(payloadReader(properties));
        if (deadLettering(streams, properties.getExtension())) {
            source.setDeadLetters(this.deadLetterWriter, deadLetterStreams(streams, properties.getExtension()));
        }
        return new PolledConsumerResources(source, registerErrorInfrastructure(destination, group, properties, true));
    }

    @Override
    protected MessageHandler getPolledConsumerErrorMessageHandler(ConsumerDestination destination, String group,
            ExtendedConsumerProperties<RedisConsumerProperties> properties) {
        return getErrorMessageHandler(destination, group, properties);
    }

    /** Native decoding into {@code payload-type} (checked when the destination was provisioned), or the bytes. */
    private PayloadReader payloadReader(ExtendedConsumerProperties<RedisConsumerProperties> properties) {
        String payloadType = properties.getExtension().getPayloadType();
        if (payloadType == null) {
            return PayloadReader.BYTES;
        }
        // The class loader the check when provisioning used (the thread's, as Spring's ClassUtils defaults to).
        Class<?> type = ClassUtils.resolveClassName(payloadType, null);
        warnIfTheFunctionTakesAnotherPayload(properties, type);
        return this.codec.payloadReader(type);
    }

    /**
     * A {@code payload-type} the binding's function cannot take would fail every message with a
     * {@code ClassCastException} in the handler (retried, then dead-lettered); said once, when binding. The
     * function is found by the binding's conventional name, {@code <function>-in-<n>}; bindings named otherwise,
     * and functions whose input type cannot be told, are not checked.
     */
    private void warnIfTheFunctionTakesAnotherPayload(ExtendedConsumerProperties<RedisConsumerProperties> properties,
            Class<?> payloadType) {
        Matcher input = properties.getBindingName() == null ? null : FUNCTION_INPUT.matcher(properties.getBindingName());
        FunctionCatalog catalog = getApplicationContext().getBeanProvider(FunctionCatalog.class).getIfAvailable();
        if (input == null || !input.matches() || catalog == null) {
            return;
        }
        Object function;
        try {
            function = catalog.lookup(input.group(1));
        }
        catch (RuntimeException ex) {
            return;
        }
        if (function instanceof FunctionInvocationWrapper wrapper && wrapper.getInputType() != null) {
            Class<?> takes = HandlerPayloads.payloadClass(wrapper.getInputType(), properties.isBatchMode());
            if (takes != null && !takes.isAssignableFrom(payloadType)) {
                this.logger.warn("Binding '" + properties.getBindingName() + "' reads payloads into " + payloadType.getName()
                        + " (payload-type), but its function '" + input.group(1) + "' takes " + takes.getName()
                        + ": every message would fail in the handler and be dead-lettered. Set payload-type to the "
                        + "function's input type.");
            }
        }
    }

    /** Recreates a vanished group where a new one would start: the end of the stream for an anonymous one. */
    private RedisStreamInboundChannelAdapter.GroupRecreator groupRecreator(RedisStreamDestination streams,
            RedisConsumerProperties extension) {
        return (stream, group) -> this.provisioningProvider.recreateGroup(stream, group,
                streams.anonymous() ? StartOffset.LATEST : extension.getStartOffset());
    }

    /** {@code concurrency} readers per stream key, named {@code <base>-0 .. <base>-(concurrency-1)}. */
    private static List<ReaderIdentity> readerIdentities(RedisStreamDestination destination,
            ExtendedConsumerProperties<RedisConsumerProperties> properties, int concurrency) {
        String base = ConsumerNames.base(properties.getExtension().getConsumerName(), properties.getInstanceIndex());
        List<ReaderIdentity> identities = new ArrayList<>(destination.keys().size() * concurrency);
        for (String key : destination.keys()) {
            for (int reader = 0; reader < concurrency; reader++) {
                identities.add(new ReaderIdentity(key, destination.group(), ConsumerNames.reader(base, reader)));
            }
        }
        return identities;
    }

    @Override
    protected void afterUnbindConsumer(ConsumerDestination destination, String group,
            ExtendedConsumerProperties<RedisConsumerProperties> consumerProperties) {
        RedisStreamDestination streams = (RedisStreamDestination) destination;
        this.provisioningProvider.deleteAnonymousGroup(streams);
        if (streams.anonymous()) {
            streams.keys().forEach(key -> this.metrics.forget(key, streams.group()));
        }
    }

    @Override
    protected Map<String, Object> doGetAdditionalConfigurationProperties(String name) {
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("endpoint", this.connector.endpoint());
        properties.put("prefix", this.binderProperties.getPrefix());
        return properties;
    }

    @Override
    public RedisConsumerProperties getExtendedConsumerProperties(String channelName) {
        return this.extendedBindingProperties.getExtendedConsumerProperties(channelName);
    }

    @Override
    public RedisProducerProperties getExtendedProducerProperties(String channelName) {
        return this.extendedBindingProperties.getExtendedProducerProperties(channelName);
    }

    @Override
    public String getDefaultsPrefix() {
        return this.extendedBindingProperties.getDefaultsPrefix();
    }

    @Override
    public Class<? extends BinderSpecificPropertiesProvider> getExtendedPropertiesEntryClass() {
        return this.extendedBindingProperties.getExtendedPropertiesEntryClass();
    }
}
