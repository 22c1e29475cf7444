package hub.orders;

import java.time.Instant;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import hub.errors.JsonInput;
import hub.errors.PoisonMessageException;
import org.apache.http.util.EntityUtils;
import org.elasticsearch.client.Request;
import org.elasticsearch.client.ResponseException;
import org.elasticsearch.client.RestClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies order events to the {@code orders} index. The document's version is the order's version,
 * written with external versioning, so a replayed or late older event never overwrites a newer document.
 */
public class OrderReadModel {

    private static final Logger LOG = LoggerFactory.getLogger(OrderReadModel.class);

    private final RestClient client;
    private final String index;

    public OrderReadModel(RestClient client, String index) {
        this.client = client;
        this.index = index;
    }

    public void apply(String event) throws Exception {
        JsonNode message = JsonInput.object(event);
        JsonNode data = message.get("data");
        if (data == null || !data.isObject() || !data.path("uuid").isTextual() || !data.path("version").canConvertToInt()
                || data.path("version").asInt() < 1) {
            throw new PoisonMessageException("order event needs data.uuid and data.version");
        }
        ObjectNode document = ((ObjectNode) data).deepCopy();
        document.put("indexed_at", Instant.now().toString());
        Request put = new Request("PUT", "/" + index + "/_doc/" + data.get("uuid").asText());
        put.addParameter("version", data.get("version").asText());
        put.addParameter("version_type", "external");
        put.setJsonEntity(document.toString());
        try {
            client.performRequest(put);
        } catch (ResponseException e) {
            if (e.getResponse().getStatusLine().getStatusCode() != 409) {
                int status = e.getResponse().getStatusLine().getStatusCode();
                String body = EntityUtils.toString(e.getResponse().getEntity());
                if (status >= 500 || status == 429) {
                    throw e;
                }
                throw new PoisonMessageException("Elasticsearch refused the order document: " + status + " " + body, e);
            }
            LOG.debug("Skipped order {} version {}: the read model already has it or a newer one",
                    data.get("uuid").asText(), data.get("version").asText());
        }
    }
}
