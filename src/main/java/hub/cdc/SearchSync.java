package hub.cdc;

import java.io.IOException;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import hub.errors.PoisonMessageException;
import hub.kafka.KafkaBatches;
import org.apache.camel.ProducerTemplate;
import org.apache.http.util.EntityUtils;
import org.elasticsearch.client.Request;
import org.elasticsearch.client.RestClient;

/**
 * Applies changes to the search indexes, one {@code _bulk} request per poll: a create, snapshot read or update
 * writes the row as the document {@code <index-prefix><table>/_doc/<primary key>}, a delete removes it. Changes
 * of one row come in order (one partition per key), and replaying them ends in the same state.
 */
public class SearchSync {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final RestClient client;
    private final String indexPrefix;
    private final ProducerTemplate deadLetters;
    private final String deadLetterEndpoint;

    public SearchSync(RestClient client, String indexPrefix, ProducerTemplate deadLetters, String deadLetterEndpoint) {
        this.client = client;
        this.indexPrefix = indexPrefix;
        this.deadLetters = deadLetters;
        this.deadLetterEndpoint = deadLetterEndpoint;
    }

    /** The index of a captured table: {@code laravel_db.orders} → {@code cdc-orders}. */
    public String index(String table) {
        return indexPrefix + table.substring(table.indexOf('.') + 1).toLowerCase();
    }

    public void apply(List<Change> changes) throws IOException {
        if (changes.isEmpty()) {
            return;
        }
        StringBuilder bulk = new StringBuilder();
        for (Change change : changes) {
            Map<String, Object> target = Map.of("_index", index(change.table()), "_id", change.id());
            if (change.isDelete()) {
                bulk.append(JSON.writeValueAsString(Map.of("delete", target))).append('\n');
            } else {
                bulk.append(JSON.writeValueAsString(Map.of("index", target))).append('\n')
                        .append(change.after()).append('\n');
            }
        }
        Request request = new Request("POST", "/_bulk");
        request.setJsonEntity(bulk.toString());
        JsonNode answer = JSON.readTree(EntityUtils.toString(client.performRequest(request).getEntity()));
        if (!answer.path("errors").asBoolean()) {
            return;
        }
        JsonNode items = answer.get("items");
        for (int i = 0; i < items.size(); i++) {
            JsonNode item = items.get(i);
            JsonNode result = item.elements().next();
            int status = result.get("status").asInt();
            String what = result.path("_index").asText() + "/" + result.path("_id").asText() + ": " + status + " "
                    + result.path("error");
            if (status == 429 || status >= 500) {
                // the whole poll is retried (the error policy backs off): idempotent, and it keeps per-row order
                throw new IOException("Elasticsearch could not apply the change to " + what);
            }
            // a delete of a document that is not there is done already
            if (status >= 400 && !(status == 404 && item.has("delete"))) {
                KafkaBatches.deadLetter(deadLetters, deadLetterEndpoint, changes.get(i).record(),
                        new PoisonMessageException("Elasticsearch refused the change to " + what));
            }
        }
    }
}
