package hub;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import hub.api.ApiKey;
import hub.api.RequestLimit;
import hub.health.DatabaseHealthCheck;
import hub.kafka.ConsumerLag;
import hub.kafka.KafkaMetrics;
import hub.routing.RouteFiles;
import hub.jobs.Queues;
import hub.health.ElasticsearchHealthCheck;
import hub.health.KafkaHealthCheck;
import hub.store.ConnectionPools;
import hub.store.DatabaseSchema;
import hub.store.KafkaTopics;
import hub.store.SearchIndexes;
import io.vertx.core.VertxOptions;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.Configuration;
import org.apache.camel.ExtendedStartupListener;
import org.apache.camel.PropertyInject;
import org.apache.camel.component.platform.http.spi.PlatformHttpEngine;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpEngine;
import org.apache.camel.health.HealthCheckHelper;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.http.Header;
import org.apache.http.HttpHost;
import org.apache.http.message.BasicHeader;
import org.elasticsearch.client.RestClient;
import org.elasticsearch.client.RestClientBuilder;

/** The hub's shared beans: the SQL pool, the Elasticsearch client, and readiness checks of each dependency. */
@Configuration
public class HubConfiguration extends StrategyConfiguration {

    @PropertyInject("hub.db.url")
    private String dbUrl;
    @PropertyInject("hub.db.username")
    private String dbUsername;
    @PropertyInject(value = "hub.db.password", defaultValue = "")
    private String dbPassword;
    @PropertyInject("hub.db.pool-size")
    private int dbPoolSize;
    @PropertyInject("hub.elasticsearch.url")
    private String esUrl;
    @PropertyInject(value = "hub.elasticsearch.username", defaultValue = "")
    private String esUsername;
    @PropertyInject(value = "hub.elasticsearch.password", defaultValue = "")
    private String esPassword;
    @PropertyInject("hub.kafka.brokers")
    private String kafkaBrokers;
    @PropertyInject("hub.elasticsearch.indexes")
    private String indexes;
    @PropertyInject("hub.startup.dependency-wait-seconds")
    private int startupWaitSeconds;
    @PropertyInject("camel.server.port")
    private int apiPort;
    @PropertyInject("hub.http.worker-threads")
    private int httpWorkers;
    @PropertyInject("hub.metrics.lag-interval-seconds")
    private long lagIntervalSeconds;
    @PropertyInject("hub.api.key")
    private String apiKey;
    @PropertyInject("hub.api.key-file")
    private String apiKeyFile;
    @PropertyInject("hub.api.max-body-bytes")
    private int maxBodyBytes;
    @PropertyInject("hub.kafka.topics")
    private String topics;
    @PropertyInject("hub.queue.names")
    private String queues;
    @PropertyInject("hub.kafka.partitions")
    private int topicPartitions;
    @PropertyInject("hub.kafka.replication-factor")
    private int topicReplicationFactor;
    @PropertyInject(value = "hub.routes.dir", defaultValue = "")
    private String routesDir;
    @PropertyInject("hub.routes.pattern")
    private String routesPattern;

    @BindToRegistry(value = "dataSource", destroyMethod = "close")
    public HikariDataSource dataSource() {
        return once("dataSource", () -> ConnectionPools.pool("hub-db", dbUrl, dbUsername, dbPassword, dbPoolSize));
    }

    @BindToRegistry(value = "esRestClient", destroyMethod = "close")
    public RestClient esRestClient() {
        return once("esRestClient", () -> {
            RestClientBuilder builder = RestClient.builder(HttpHost.create(esUrl));
            if (!esUsername.isEmpty()) {
                String token = Base64.getEncoder().encodeToString(
                        (esUsername + ":" + esPassword).getBytes(StandardCharsets.UTF_8));
                builder.setDefaultHeaders(new Header[] {new BasicHeader("Authorization", "Basic " + token)});
            }
            return builder.build();
        });
    }

    @BindToRegistry(value = "consumerLag", destroyMethod = "close")
    public ConsumerLag consumerLag() {
        return once("consumerLag", () -> new ConsumerLag(KafkaHealthCheck.adminConfig(kafkaBrokers, getCamelContext())));
    }

    @BindToRegistry("apiKey")
    public ApiKey apiKey() {
        return new ApiKey(apiKey, apiKeyFile);
    }

    @BindToRegistry("requestLimit")
    public RequestLimit requestLimit() {
        return new RequestLimit(maxBodyBytes);
    }

    /**
     * Options of the Vert.x instance each HTTP server creates (found by type by platform-http). A request runs
     * on a worker thread until its route answers; the saga's coordinator callbacks wait on Kafka replies
     * there and {@code ?minVersion} reads wait for the read model, so the default 20 workers would let a burst
     * of requests starve the callbacks and commands they wait for.
     */
    @BindToRegistry("vertxOptions")
    public VertxOptions vertxOptions() {
        return new VertxOptions().setWorkerPoolSize(httpWorkers);
    }

    /**
     * REST routes bind to the API server's port. With the management server on a port of its own, Vert.x
     * finds two servers and would fall back to 8080 whatever the API's port is.
     */
    @BindToRegistry("platform-http-engine")
    public PlatformHttpEngine platformHttpEngine() {
        int port = apiPort;
        return new VertxPlatformHttpEngine() {
            @Override
            public int getServerPort() {
                return port;
            }
        };
    }

    /** The hub's own topics, each queue and its {@code .failed} topic among them. */
    private List<String> topics() {
        List<String> all = new ArrayList<>(List.of(topics.split("\\s*,\\s*")));
        for (String queue : Queues.names(queues)) {
            all.add(queue);
            all.add(Queues.failedTopic(queue));
        }
        return all;
    }

    @Override
    public void configure(CamelContext camel) throws Exception {
        DataSource dataSource = camel.getRegistry().lookupByNameAndType("dataSource", DataSource.class);
        RestClient es = camel.getRegistry().lookupByNameAndType("esRestClient", RestClient.class);

        // schema and index mappings exist before the first route takes a message
        Duration wait = Duration.ofSeconds(startupWaitSeconds);
        camel.addService(new DatabaseSchema(dataSource, "db/schema.sql", wait), true, true);
        camel.addService(new SearchIndexes(es, List.of(indexes.split("\\s*,\\s*")), wait), true, true);
        camel.addService(new KafkaTopics(KafkaHealthCheck.adminConfig(kafkaBrokers, camel), topics(),
                topicPartitions, (short) topicReplicationFactor), true, true);

        HealthCheckRegistry health = HealthCheckHelper.getHealthCheckRegistry(camel);
        KafkaHealthCheck kafka = new KafkaHealthCheck(kafkaBrokers, camel);
        camel.addService(kafka, true, true);
        health.register(kafka);
        health.register(new DatabaseHealthCheck(dataSource));
        health.register(new ElasticsearchHealthCheck(es));
        // the LRA coordinator's check is registered by hub.saga.SagaConfiguration, only when sagas use it

        camel.addService(new KafkaMetrics(camel, camel.getRegistry().lookupByNameAndType("consumerLag", ConsumerLag.class),
                lagIntervalSeconds, metrics()), true, true);

        if (!routesDir.isBlank()) {
            // once every shipped route runs, so a file's route may replace one of them by id
            RouteFiles files = new RouteFiles(Path.of(routesDir), routesPattern, metrics());
            camel.addStartupListener(new ExtendedStartupListener() {
                @Override
                public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
                }

                @Override
                public void onCamelContextFullyStarted(CamelContext context, boolean alreadyStarted) throws Exception {
                    context.addService(files, true, true);
                }
            });
        }
    }
}
