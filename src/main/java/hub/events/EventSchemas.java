package hub.events;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import hub.api.ValidationException;
import hub.api.ValidationException.FieldError;

/**
 * Checks events against the JSON schemas in {@code schemas/}: the envelope ({@code order-event.schema.json}),
 * then {@code data} against {@code <type>.v<event_version>.schema.json}. A type/version pair with no schema
 * file is not accepted, so an event version nobody described cannot reach a projector.
 */
public class EventSchemas {

    private final JsonSchema envelope;
    private final Map<String, JsonSchema> data = new HashMap<>();

    public EventSchemas() {
        JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
        envelope = load(factory, "schemas/order-event.schema.json");
        // every version up to the current one can still arrive, so each has its schema
        Upcasters.CURRENT.forEach((type, current) -> {
            for (int version = 1; version <= current; version++) {
                data.put(key(type, version), load(factory, "schemas/" + type + ".v" + version + ".schema.json"));
            }
        });
    }

    /** The event, if it is valid; otherwise a {@link ValidationException} listing every error. */
    public OrderEvent validate(ObjectNode json) {
        List<FieldError> errors = errors(envelope, json, "");
        if (errors.isEmpty()) {
            String type = json.get("type").asText();
            int version = json.get("event_version").asInt();
            JsonSchema schema = data.get(key(type, version));
            if (schema == null) {
                errors.add(new FieldError("event_version", "no schema for " + type + " version " + version));
            } else {
                errors.addAll(errors(schema, json.get("data"), "data"));
            }
        }
        Instant timestamp = null;
        if (json.path("timestamp").isTextual()) {
            try {
                timestamp = timestamp(json.get("timestamp").asText());
            } catch (DateTimeException e) {
                errors.add(new FieldError("timestamp", "an ISO-8601 date-time is required"));
            }
        }
        if (!errors.isEmpty()) {
            throw new ValidationException("event", errors);
        }
        return new OrderEvent(json.get("type").asText(), json.get("aggregate_uuid").asText().toLowerCase(),
                json.get("event_version").asInt(), json.get("sequence").asLong(), (ObjectNode) json.get("data"),
                timestamp);
    }

    public static Instant timestamp(String text) {
        // laravel's now()->toIso8601String() has an offset, Carbon's toJSON() a Z
        return text.endsWith("Z") ? Instant.parse(text) : OffsetDateTime.parse(text).toInstant();
    }

    private static List<FieldError> errors(JsonSchema schema, com.fasterxml.jackson.databind.JsonNode node, String prefix) {
        List<FieldError> errors = new ArrayList<>();
        schema.validate(node).stream().sorted(Comparator.comparing(ValidationMessage::getMessage)).forEach(m -> {
            String at = m.getInstanceLocation().toString().replaceFirst("^\\$\\.?", "");
            if (m.getProperty() != null && "required".equals(m.getType())) {
                at = at.isEmpty() ? m.getProperty() : at + "." + m.getProperty();
            }
            String field = prefix.isEmpty() ? at : at.isEmpty() ? prefix : prefix + "." + at;
            errors.add(new FieldError(field.isEmpty() ? "(event)" : field, m.getError()));
        });
        return errors;
    }

    private static String key(String type, int version) {
        return type + "/" + version;
    }

    private static JsonSchema load(JsonSchemaFactory factory, String resource) {
        try (InputStream in = EventSchemas.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing event schema " + resource);
            }
            return factory.getSchema(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
