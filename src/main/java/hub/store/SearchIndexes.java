package hub.store;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import org.apache.camel.support.service.ServiceSupport;
import org.apache.http.util.EntityUtils;
import org.elasticsearch.client.Request;
import org.elasticsearch.client.ResponseException;
import org.elasticsearch.client.RestClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Creates each index the hub writes, from {@code elasticsearch/<index>.json}, when it is missing. */
public class SearchIndexes extends ServiceSupport {

    private static final Logger LOG = LoggerFactory.getLogger(SearchIndexes.class);

    private final RestClient client;
    private final List<String> indexes;
    private final Duration wait;

    public SearchIndexes(RestClient client, List<String> indexes, Duration wait) {
        this.client = client;
        this.indexes = indexes;
        this.wait = wait;
    }

    @Override
    protected void doStart() throws Exception {
        for (String index : indexes) {
            String body;
            try (InputStream in = getClass().getClassLoader().getResourceAsStream("elasticsearch/" + index + ".json")) {
                if (in == null) {
                    throw new IOException("no mapping elasticsearch/" + index + ".json on the classpath");
                }
                body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            boolean exists = Startup.await("Elasticsearch", wait, () -> {
                try {
                    return client.performRequest(new Request("HEAD", "/" + index)).getStatusLine().getStatusCode() == 200;
                } catch (ResponseException e) {
                    if (e.getResponse().getStatusLine().getStatusCode() == 404) {
                        return false;
                    }
                    throw e;
                }
            });
            if (!exists) {
                Request create = new Request("PUT", "/" + index);
                create.setJsonEntity(body);
                try {
                    client.performRequest(create);
                    LOG.info("Created Elasticsearch index {}", index);
                } catch (ResponseException e) {
                    // another replica created it first
                    if (!EntityUtils.toString(e.getResponse().getEntity()).contains("resource_already_exists_exception")) {
                        throw e;
                    }
                }
            }
        }
    }
}
