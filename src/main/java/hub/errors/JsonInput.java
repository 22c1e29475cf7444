package hub.errors;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Reads a message or request body that must be a JSON object; anything else is poison with the reason. */
public final class JsonInput {

    private static final ObjectMapper JSON = new ObjectMapper();

    private JsonInput() {
    }

    public static ObjectNode object(String body) {
        try {
            if (JSON.readTree(body == null ? "" : body) instanceof ObjectNode object) {
                return object;
            }
        } catch (JsonProcessingException e) {
            throw new PoisonMessageException("malformed JSON: " + e.getOriginalMessage(), e);
        }
        throw new PoisonMessageException("expected a JSON object");
    }
}
