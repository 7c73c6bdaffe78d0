package io.flextime.events.schema;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.dialect.Dialect;
import com.networknt.schema.dialect.Dialects;
import com.networknt.schema.keyword.AnnotationKeyword;
import com.networknt.schema.keyword.DisallowUnknownKeywordFactory;
import com.networknt.schema.path.NodePath;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

import io.flextime.events.routing.EventRouting;
import io.flextime.events.routing.UnknownEventTypeException;

/**
 * The JSON Schemas from {@code schemas/} (on the classpath): the envelope, and one schema per event type
 * for its {@code data}. They are the single source of truth for what an event may contain; nothing in the
 * Java code restates a field. Validation reports every failing field by JSON path.
 */
public class EventSchemas {

    static final String ENVELOPE = "schemas/envelope.schema.json";

    static final String EVENT_TYPES = "classpath*:schemas/events/*.schema.json";

    private static final Pattern SEMANTIC_VERSION = Pattern.compile("\\d+\\.\\d+\\.\\d+");

    private final JsonMapper jsonMapper;

    private final Schema envelope;

    private final Map<String, Schema> dataSchemas;

    private final Map<String, EventTypeInfo> types;

    public EventSchemas(JsonMapper jsonMapper) {
        this.jsonMapper = jsonMapper;
        SchemaRegistry registry = schemaRegistry();
        this.envelope = loaded(registry, read(new PathMatchingResourcePatternResolver().getResource("classpath:" + ENVELOPE)));
        Map<String, Schema> schemas = new TreeMap<>();
        Map<String, EventTypeInfo> infos = new TreeMap<>();
        for (Resource resource : eventTypeResources()) {
            JsonNode document = read(resource);
            String type = document.path("title").asString();
            String version = document.path("x-version").asString(null);
            if (version == null || !SEMANTIC_VERSION.matcher(version).matches()) {
                throw new IllegalStateException("Schema " + resource + " needs an 'x-version' of the form 1.2.3, got "
                        + version);
            }
            schemas.put(type, loaded(registry, document));
            infos.put(type, new EventTypeInfo(type, EventRouting.streamFor(type), version,
                    document.path("description").asString(), document));
        }
        if (infos.isEmpty()) {
            throw new IllegalStateException("No event schemas found at " + EVENT_TYPES);
        }
        this.dataSchemas = Collections.unmodifiableMap(schemas);
        this.types = Collections.unmodifiableMap(infos);
    }

    /**
     * The schema with its validators built now, nested ones included: the registry's own preload swallows a
     * failure (such as an unknown keyword), which would then fail every validation instead of the start.
     * @throws com.networknt.schema.InvalidSchemaException when the schema uses a keyword the dialect does not know
     */
    static Schema loaded(SchemaRegistry registry, JsonNode document) {
        Schema schema = registry.getSchema(document);
        schema.initializeValidators();
        return schema;
    }

    /**
     * Draft 2020-12 with our {@code x-version} annotation. Any other keyword the validator does not know (a typo
     * such as {@code requird}) fails the load, where by default it would be ignored with a warning and check
     * nothing.
     */
    static SchemaRegistry schemaRegistry() {
        Dialect dialect = Dialect.builder(Dialects.getDraft202012()).keyword(new AnnotationKeyword("x-version"))
                .unknownKeywordFactory(DisallowUnknownKeywordFactory.getInstance()).build();
        return SchemaRegistry.withDefaultDialect(dialect);
    }

    /** Every known event type, sorted by name. */
    public Map<String, EventTypeInfo> types() {
        return this.types;
    }

    public EventTypeInfo type(String eventType) {
        EventTypeInfo info = this.types.get(eventType);
        if (info == null) {
            EventRouting.streamFor(eventType);
            throw new UnknownEventTypeException(eventType, "there is no schema for it in schemas/events/");
        }
        return info;
    }

    /** Every failure of the envelope and of {@code data} against its type's schema; empty when valid. */
    public List<FieldError> validate(Object event) {
        JsonNode node = this.jsonMapper.valueToTree(event);
        List<FieldError> errors = new ArrayList<>(toFieldErrors(this.envelope.validate(node, this::assertFormats), ""));
        String eventType = node.path("eventType").asString(null);
        Schema dataSchema = eventType == null ? null : this.dataSchemas.get(eventType);
        if (eventType != null && dataSchema == null) {
            errors.add(new FieldError("$.eventType", "unknown event type '" + eventType + "'; known: " + this.types.keySet()));
        }
        if (dataSchema != null && node.path("data").isObject()) {
            errors.addAll(toFieldErrors(dataSchema.validate(node.path("data"), this::assertFormats), ".data"));
        }
        if (dataSchema != null) {
            versionError(this.types.get(eventType), node.path("version").asString(null)).ifPresent(errors::add);
        }
        return errors;
    }

    /**
     * Only the current schema of each type is here, so only events of its major version can be checked against it:
     * a minor version adds optional fields at most (which the schema refuses by name if it does not know them), a
     * major one may change what a field means. An event of another major version is refused, not taken for one of
     * this version that happens to validate.
     */
    private static Optional<FieldError> versionError(EventTypeInfo type, String version) {
        if (version == null || !SEMANTIC_VERSION.matcher(version).matches() || major(version).equals(major(type.version()))) {
            // A missing or malformed version is the envelope schema's to report.
            return Optional.empty();
        }
        return Optional.of(new FieldError("$.version", "version " + version + " of '" + type.type()
                + "' cannot be checked here: this service has its schema " + type.version() + ", and a different major "
                + "version may change what the fields mean"));
    }

    /** As a number: {@code 01.0.0} is major version 1. */
    private static BigInteger major(String version) {
        return new BigInteger(version.substring(0, version.indexOf('.')));
    }

    /** @throws InvalidEventException listing every failing field */
    public void requireValid(Object event) {
        List<FieldError> errors = validate(event);
        if (!errors.isEmpty()) {
            JsonNode node = this.jsonMapper.valueToTree(event);
            throw new InvalidEventException(node.path("eventType").asString(null), errors);
        }
    }

    /** In draft 2020-12 {@code format} only annotates by default; FlexTime wants a bad date-time or UUID refused. */
    private void assertFormats(com.networknt.schema.ExecutionContext context) {
        context.executionConfig(config -> config.formatAssertionsEnabled(true));
    }

    private static List<FieldError> toFieldErrors(List<Error> errors, String base) {
        List<FieldError> fields = new ArrayList<>(errors.size());
        for (Error error : errors) {
            String path = "$" + base + jsonPath(error.getInstanceLocation());
            if ("required".equals(error.getKeyword()) && error.getProperty() != null) {
                path = path + "." + error.getProperty();
            }
            String message = error.getMessage();
            // The library prefixes messages with the instance location; the path is already its own field.
            int colon = message.indexOf(": ");
            fields.add(new FieldError(path, colon > 0 && message.startsWith("$") ? message.substring(colon + 2) : message));
        }
        return fields;
    }

    /** {@code .name} for properties, {@code [i]} for array items, whatever path style the library is set to. */
    private static String jsonPath(NodePath location) {
        StringBuilder path = new StringBuilder();
        for (int i = 0; i < location.getNameCount(); i++) {
            Object element = location.getElement(i);
            path.append(element instanceof Integer index ? "[" + index + "]" : "." + element);
        }
        return path.toString();
    }

    private JsonNode read(Resource resource) {
        try (InputStream in = resource.getInputStream()) {
            return this.jsonMapper.readTree(in);
        }
        catch (IOException ex) {
            throw new UncheckedIOException("Cannot read schema " + resource, ex);
        }
    }

    private static Resource[] eventTypeResources() {
        try {
            return new PathMatchingResourcePatternResolver().getResources(EVENT_TYPES);
        }
        catch (IOException ex) {
            throw new UncheckedIOException("Cannot list " + EVENT_TYPES, ex);
        }
    }
}
