package hub.jobs;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import hub.errors.JsonInput;
import hub.errors.PoisonMessageException;

/**
 * Reads a job queue message into a {@link JobEnvelope}. Two shapes are accepted:
 * <ul>
 *   <li>the hub's own: {@code {"id", "type", "data": {...}, "max_tries"?, "backoff"?, "timeout"?}};</li>
 *   <li>Laravel's queue payload, recognised by its {@code "job"} field:
 *       {@code {"uuid", "displayName", "job", "maxTries", "backoff", "timeout", "data": {"commandName",
 *       "command": "<serialize()d command>"}, ...}}.</li>
 * </ul>
 * {@code backoff} may be a number, a comma-separated text ({@code "5,10"}, as Laravel writes it), an array
 * of numbers, or null. Anything unreadable is a {@link PoisonMessageException} naming the reason.
 */
public final class JobEnvelopes {

    // base64 of {"iv": - what Laravel's encrypter writes for a ShouldBeEncrypted job
    private static final String ENCRYPTED = "eyJpdiI6";

    private JobEnvelopes() {
    }

    public static JobEnvelope parse(String json) {
        JsonNode message = JsonInput.object(json);
        return message.has("job") ? laravel(message, json) : hub(message, json);
    }

    private static JobEnvelope hub(JsonNode job, String payload) {
        String id = id(job.get("id"), "id");
        JsonNode type = job.get("type");
        if (type == null || !type.isTextual() || type.asText().isBlank()) {
            throw new PoisonMessageException("missing field: type");
        }
        JsonNode data = job.get("data");
        if (data == null || data.isNull()) {
            throw new PoisonMessageException("missing field: data");
        }
        if (!data.isObject()) {
            throw new PoisonMessageException("invalid field: data (JSON object expected)");
        }
        return new JobEnvelope(id, type.asText(), data, count(job, "max_tries"), backoff(job.get("backoff")),
                count(job, "timeout"), JobEnvelope.HUB, payload);
    }

    private static JobEnvelope laravel(JsonNode job, String payload) {
        String id = id(job.hasNonNull("uuid") ? job.get("uuid") : job.get("id"), "uuid");
        JsonNode data = job.get("data");
        if (data == null || !data.isObject()) {
            throw new PoisonMessageException("missing field: data");
        }
        // commandName is always the class; a job may override displayName() with free text
        String className = data.path("commandName").asText(job.path("displayName").asText(""));
        String type = className.substring(className.lastIndexOf('\\') + 1);
        if (type.isBlank()) {
            throw new PoisonMessageException("missing field: data.commandName");
        }
        return new JobEnvelope(id, type, command(data.get("command")), count(job, "maxTries"),
                backoff(job.get("backoff")), count(job, "timeout"), JobEnvelope.LARAVEL, payload);
    }

    /** The serialized command's properties; its class is already the type. */
    private static JsonNode command(JsonNode field) {
        if (field == null || !field.isTextual()) {
            throw new PoisonMessageException("missing field: data.command");
        }
        String command = field.asText();
        if (command.startsWith(ENCRYPTED)) {
            throw new PoisonMessageException("encrypted command (ShouldBeEncrypted) is not supported");
        }
        if (!command.startsWith("O:")) {
            throw new PoisonMessageException("invalid PHP serialized command at byte 0: expected an object (O:)");
        }
        try {
            ObjectNode properties = (ObjectNode) PhpUnserializer.unserialize(command);
            properties.remove(PhpUnserializer.CLASS);
            return properties;
        } catch (PhpUnserializer.Malformed e) {
            throw new PoisonMessageException("invalid PHP serialized command " + e.getMessage(), e);
        }
    }

    private static String id(JsonNode id, String field) {
        if (id == null || id.isNull() || id.isTextual() && id.asText().isBlank()) {
            throw new PoisonMessageException("missing field: " + field);
        }
        if (!id.isTextual() && !id.isIntegralNumber()) {
            throw new PoisonMessageException("invalid field: " + field + " (string or integer expected)");
        }
        return id.asText();
    }

    /** An optional non-negative integer; absent or null means the default. */
    private static Integer count(JsonNode job, String field) {
        JsonNode value = job.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isIntegralNumber() || !value.canConvertToInt() || value.intValue() < 0) {
            throw new PoisonMessageException("invalid field: " + field + " (non-negative integer expected)");
        }
        return value.intValue();
    }

    private static List<Integer> backoff(JsonNode value) {
        if (value == null || value.isNull()) {
            return List.of();
        }
        if (value.isTextual()) {
            String text = value.asText().strip();
            return text.isEmpty() ? List.of()
                    : Arrays.stream(text.split(",", -1)).map(delay -> seconds(delay.strip())).toList();
        }
        List<Integer> seconds = new ArrayList<>();
        for (JsonNode delay : value.isArray() ? value : List.of(value)) {
            if (!delay.isIntegralNumber()) {
                throw invalidBackoff();
            }
            seconds.add(seconds(delay.asText()));
        }
        return seconds;
    }

    private static int seconds(String delay) {
        if (!delay.matches("[0-9]{1,9}")) {
            throw invalidBackoff();
        }
        return Integer.parseInt(delay);
    }

    private static PoisonMessageException invalidBackoff() {
        return new PoisonMessageException("invalid field: backoff (non-negative whole seconds expected)");
    }
}
