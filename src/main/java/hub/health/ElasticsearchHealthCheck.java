package hub.health;

import java.util.Map;

import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.http.util.EntityUtils;
import org.elasticsearch.client.Request;
import org.elasticsearch.client.RequestOptions;
import org.elasticsearch.client.Response;
import org.elasticsearch.client.RestClient;

/** Readiness: Elasticsearch answers and its cluster is not red. */
public class ElasticsearchHealthCheck extends DependencyHealthCheck {

    private final RestClient client;

    public ElasticsearchHealthCheck(RestClient client) {
        super("elasticsearch");
        this.client = client;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        try {
            Request request = new Request("GET", "/_cluster/health");
            request.addParameter("timeout", "2s");
            request.setOptions(RequestOptions.DEFAULT);
            Response response = client.performRequest(request);
            String body = EntityUtils.toString(response.getEntity());
            if (body.contains("\"status\":\"red\"")) {
                builder.message("Elasticsearch cluster is red").down();
            } else {
                builder.up();
            }
        } catch (Exception e) {
            builder.message("Elasticsearch unavailable: " + Checks.reason(e)).down();
        }
    }
}
