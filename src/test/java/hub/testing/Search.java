package hub.testing;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Plain HTTP on the shared Elasticsearch node, for tests to read what routes indexed. */
public final class Search {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
    private static final ObjectMapper JSON = new ObjectMapper();

    private Search() {
    }

    /** The document's {@code _source}, or null while it does not exist. */
    public static JsonNode document(String index, String id) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(
                URI.create(SharedServices.properties().get("hub.elasticsearch.url") + "/" + index + "/_doc/" + id))
                .timeout(Duration.ofSeconds(5)).GET().build();
        HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 404) {
            return null;
        }
        if (response.statusCode() != 200) {
            throw new IllegalStateException("GET " + index + "/" + id + " -> " + response.statusCode() + " "
                    + response.body());
        }
        return JSON.readTree(response.body()).get("_source");
    }

    /** How many of the documents {@code ids} exist in {@code index} (after a refresh, so writes just made count). */
    public static long count(String index, List<String> ids) throws Exception {
        if (ids.isEmpty()) {
            return 0;
        }
        String url = SharedServices.properties().get("hub.elasticsearch.url") + "/" + index;
        HTTP.send(HttpRequest.newBuilder(URI.create(url + "/_refresh")).timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
        String query = JSON.writeValueAsString(Map.of("query", Map.of("ids", Map.of("values", ids))));
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(url + "/_count"))
                .header("Content-Type", "application/json").timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofString(query)).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("count " + index + " -> " + response.statusCode() + " " + response.body());
        }
        return JSON.readTree(response.body()).get("count").asLong();
    }

    /** The {@code _source} of every document (up to 10,000) matching {@code query}, a query DSL object. */
    public static List<JsonNode> search(String index, String query) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(
                URI.create(SharedServices.properties().get("hub.elasticsearch.url") + "/" + index + "/_search"))
                .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"size\":10000,\"query\":" + query + "}")).build();
        HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("search " + index + " -> " + response.statusCode() + " " + response.body());
        }
        List<JsonNode> documents = new ArrayList<>();
        JSON.readTree(response.body()).at("/hits/hits").forEach(hit -> documents.add(hit.get("_source")));
        return documents;
    }
}
