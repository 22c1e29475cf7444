package hub.orders;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import hub.api.ApiException;
import org.apache.http.util.EntityUtils;
import org.elasticsearch.client.Request;
import org.elasticsearch.client.ResponseException;
import org.elasticsearch.client.RestClient;

/** The CQRS query side: reads only the {@code orders} index, never the SQL write model. */
public class OrderQueries {

    /** What a query returns, with the read model's version and staleness of what it returns. */
    public record Answer(Object body, int version, long lagMillis) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long RECHECK_MILLIS = 250;
    private static final Set<String> SORTABLE = Set.of("created_at", "updated_at", "total");

    private final RestClient client;
    private final String index;
    private final Duration minVersionWait;
    private final ReadModelSignals signals;

    public OrderQueries(RestClient client, String index, Duration minVersionWait, ReadModelSignals signals) {
        this.client = client;
        this.index = index;
        this.minVersionWait = minVersionWait;
        this.signals = signals;
    }

    /** One order; with {@code minVersion}, waits (bounded) until the read model has at least that version. */
    public Answer order(String uuid, Integer minVersion) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + minVersionWait.toNanos();
        while (true) {
            var signal = minVersion == null ? null : signals.watch(uuid);
            JsonNode doc = document(uuid);
            int version = doc == null ? 0 : doc.get("version").asInt();
            if (minVersion == null || version >= minVersion) {
                if (doc == null) {
                    throw new ApiException(404, "no order " + uuid, readModelHeaders(0, 0));
                }
                return new Answer(doc, version, lag(doc));
            }
            if (System.nanoTime() > deadline) {
                throw new ApiException(409, "the read model has version " + version + " of order " + uuid
                        + ", not yet " + minVersion, readModelHeaders(version, doc == null ? 0 : lag(doc)));
            }
            // woken when this hub indexes the order; looks again after a while if another replica does
            signals.await(uuid, signal, Math.min(RECHECK_MILLIS,
                    Math.max(1, (deadline - System.nanoTime()) / 1_000_000)));
        }
    }

    public Answer ordersOfUser(long userId, String status, String sort, int page, int size) throws IOException {
        ObjectNode query = JSON.createObjectNode();
        ArrayNode filter = query.putObject("bool").putArray("filter");
        filter.addObject().putObject("term").put("user_id", userId);
        if (status != null && !status.isBlank()) {
            filter.addObject().putObject("term").put("status", status);
        }
        return search(query, sort, page, size);
    }

    public Answer search(String q, String sort, int page, int size) throws IOException {
        if (q == null || q.isBlank()) {
            throw new ApiException(400, "query parameter q is required");
        }
        ObjectNode query = JSON.createObjectNode();
        ObjectNode match = query.putObject("multi_match");
        match.put("query", q);
        match.put("lenient", true);
        match.putArray("fields").add("items.sku^2").add("items.sku.text").add("uuid").add("status").add("currency");
        return search(query, sort, page, size);
    }

    /** Count and sum of totals by status for one user. */
    public Answer summary(long userId) throws IOException {
        ObjectNode body = JSON.createObjectNode();
        body.put("size", 0);
        body.putObject("query").putObject("term").put("user_id", userId);
        ObjectNode byStatus = body.putObject("aggs").putObject("by_status");
        byStatus.putObject("terms").put("field", "status").put("size", 20);
        byStatus.putObject("aggs").putObject("total").putObject("sum").put("field", "total");
        ((ObjectNode) body.get("aggs")).putObject("version").putObject("max").put("field", "version");
        JsonNode result = post("/_search", body);
        Map<String, Object> statuses = new LinkedHashMap<>();
        for (JsonNode bucket : result.at("/aggregations/by_status/buckets")) {
            statuses.put(bucket.get("key").asText(), Map.of("count", bucket.get("doc_count").asLong(),
                    "total", String.format("%.2f", bucket.at("/total/value").asDouble())));
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("user_id", userId);
        answer.put("orders", result.at("/hits/total/value").asLong());
        answer.put("by_status", statuses);
        return new Answer(answer, result.at("/aggregations/version/value").asInt(0), 0);
    }

    private Answer search(ObjectNode query, String sort, int page, int size) throws IOException {
        if (page < 1 || size < 1 || size > 100) {
            throw new ApiException(400, "page must be 1 or more and size from 1 to 100");
        }
        String[] order = (sort == null || sort.isBlank() ? "created_at:desc" : sort).split(":");
        if (!SORTABLE.contains(order[0]) || order.length > 2 || order.length == 2 && !order[1].matches("asc|desc")) {
            throw new ApiException(400, "sort must be one of " + SORTABLE + ", optionally :asc or :desc");
        }
        ObjectNode body = JSON.createObjectNode();
        body.set("query", query);
        body.put("from", (page - 1) * size);
        body.put("size", size);
        body.put("track_total_hits", true);
        body.putArray("sort").addObject().put(order[0], order.length == 2 ? order[1] : "asc");
        JsonNode result = post("/_search", body);
        List<JsonNode> orders = new ArrayList<>();
        int version = 0;
        long lag = 0;
        for (JsonNode hit : result.at("/hits/hits")) {
            JsonNode doc = hit.get("_source");
            orders.add(doc);
            version = Math.max(version, doc.get("version").asInt());
            lag = Math.max(lag, lag(doc));
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("total", result.at("/hits/total/value").asLong());
        answer.put("page", page);
        answer.put("size", size);
        answer.put("orders", orders);
        return new Answer(answer, version, lag);
    }

    private JsonNode document(String uuid) throws IOException {
        try {
            JsonNode found = JSON.readTree(EntityUtils.toString(
                    client.performRequest(new Request("GET", "/" + index + "/_doc/" + uuid)).getEntity()));
            return found.get("_source");
        } catch (ResponseException e) {
            if (e.getResponse().getStatusLine().getStatusCode() == 404) {
                return null;
            }
            throw e;
        }
    }

    private JsonNode post(String path, JsonNode body) throws IOException {
        Request request = new Request("POST", "/" + index + path);
        request.setJsonEntity(body.toString());
        return JSON.readTree(EntityUtils.toString(client.performRequest(request).getEntity()));
    }

    /** A refused query still says what the read model has, as an answer does. */
    private static Map<String, Object> readModelHeaders(int version, long lagMillis) {
        return Map.of(OrdersApi.VERSION_HEADER, version, OrdersApi.LAG_HEADER, lagMillis);
    }

    /** How long after its command this version reached the read model. */
    private static long lag(JsonNode doc) {
        return Duration.between(Instant.parse(doc.get("updated_at").asText()),
                Instant.parse(doc.get("indexed_at").asText())).toMillis();
    }
}
