package hub.orders;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import hub.errors.JsonInput;
import hub.errors.PoisonMessageException;
import hub.kafka.KafkaBatches;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.http.util.EntityUtils;
import org.elasticsearch.client.Request;
import org.elasticsearch.client.RestClient;

/**
 * Applies order events to the {@code orders} index, a poll's worth at a time with one {@code _bulk}
 * request. The document's version is the order's version, written with external versioning, so a
 * replayed or late older event never overwrites a newer document (Elasticsearch answers 409, skipped).
 */
public class OrderReadModel {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final RestClient client;
    private final String index;
    private final ProducerTemplate deadLetters;
    private final String deadLetterEndpoint;

    public OrderReadModel(RestClient client, String index, ProducerTemplate deadLetters, String deadLetterEndpoint) {
        this.client = client;
        this.index = index;
        this.deadLetters = deadLetters;
        this.deadLetterEndpoint = deadLetterEndpoint;
    }

    /**
     * Indexes the batch. Unreadable events and documents Elasticsearch refuses go to the dead-letter topic
     * one by one; a failure of the whole request (the node down, 429, 5xx) is thrown, so the error policy
     * retries the batch, which is idempotent.
     */
    public void applyBatch(List<Exchange> records) throws Exception {
        StringBuilder bulk = new StringBuilder();
        List<Exchange> indexed = new ArrayList<>();
        for (Exchange record : records) {
            try {
                ObjectNode document = document(record.getIn().getBody(String.class));
                Map<String, Object> action = new LinkedHashMap<>();
                action.put("_index", index);
                action.put("_id", document.get("uuid").asText());
                action.put("version", document.get("version").asInt());
                action.put("version_type", "external");
                bulk.append(JSON.writeValueAsString(Map.of("index", action))).append('\n')
                        .append(document).append('\n');
                indexed.add(record);
            } catch (PoisonMessageException e) {
                deadLetter(record, e);
            }
        }
        if (indexed.isEmpty()) {
            return;
        }
        Request request = new Request("POST", "/_bulk");
        request.setJsonEntity(bulk.toString());
        JsonNode answer = JSON.readTree(EntityUtils.toString(client.performRequest(request).getEntity()));
        JsonNode items = answer.get("items");
        for (int i = 0; i < items.size(); i++) {
            JsonNode result = items.get(i).get("index");
            int status = result.get("status").asInt();
            if (status == 429 || status >= 500) {
                throw new java.io.IOException("Elasticsearch could not index order " + result.get("_id").asText()
                        + " now: " + status);
            }
            if (status >= 400 && status != 409) {
                deadLetter(indexed.get(i), new PoisonMessageException("Elasticsearch refused the order document: "
                        + status + " " + result.path("error")));
            }
        }
    }

    private static ObjectNode document(String event) {
        JsonNode data = JsonInput.object(event).get("data");
        if (data == null || !data.isObject() || !data.path("uuid").isTextual() || !data.path("version").canConvertToInt()
                || data.path("version").asInt() < 1) {
            throw new PoisonMessageException("order event needs data.uuid and data.version");
        }
        ObjectNode document = ((ObjectNode) data).deepCopy();
        document.put("indexed_at", Instant.now().toString());
        return document;
    }

    private void deadLetter(Exchange record, Exception failure) {
        KafkaBatches.deadLetter(deadLetters, deadLetterEndpoint, record, failure);
    }
}
