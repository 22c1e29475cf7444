package hub.pipe;

import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import hub.errors.JsonInput;
import hub.errors.PoisonMessageException;
import org.apache.camel.Header;
import org.apache.camel.component.kafka.KafkaConstants;

/**
 * The pipe's message: any JSON object with an {@code id}. Turns it into the SQL row and the search
 * document; anything else is poison.
 */
public class PipeMessages {

    static final int MAX_ID_LENGTH = 64;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The row for {@code pipe_messages}; the same map is indexed as the search document. */
    public Map<String, Object> toRecord(String body,
                                        @Header(KafkaConstants.TOPIC) String topic,
                                        @Header(KafkaConstants.PARTITION) Integer partition,
                                        @Header(KafkaConstants.OFFSET) Long offset) {
        JsonNode message = JsonInput.object(body);
        JsonNode id = message.get("id");
        if (id == null || !(id.isTextual() || id.isIntegralNumber()) || id.asText().isBlank()) {
            throw new PoisonMessageException("missing field: id (string or integer)");
        }
        if (id.asText().length() > MAX_ID_LENGTH) {
            throw new PoisonMessageException("id longer than " + MAX_ID_LENGTH + " characters");
        }
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("id", id.asText());
        record.put("payload", message.toString());
        record.put("source_topic", topic);
        record.put("source_partition", partition);
        record.put("source_offset", offset);
        return record;
    }

    /** The search document: the message's own fields plus where it came from. */
    public Map<String, Object> toDocument(Map<String, Object> record) throws JsonProcessingException {
        @SuppressWarnings("unchecked")
        Map<String, Object> doc = JSON.readValue((String) record.get("payload"), LinkedHashMap.class);
        doc.put("id", record.get("id"));
        doc.put("source_topic", record.get("source_topic"));
        return doc;
    }
}
