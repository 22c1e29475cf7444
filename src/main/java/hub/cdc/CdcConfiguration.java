package hub.cdc;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import hub.StrategyConfiguration;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import hub.health.CdcEngineHealthCheck;
import hub.health.KafkaHealthCheck;
import hub.store.ConnectionPools;
import hub.store.DatabaseSchema;
import hub.store.KafkaTopics;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.Configuration;
import org.apache.camel.PropertyInject;
import org.apache.camel.component.debezium.mysql.configuration.MySqlConnectorEmbeddedDebeziumConfiguration;
import org.apache.camel.health.HealthCheckHelper;
import org.elasticsearch.client.RestClient;
import routes.DeadLetterRoutes;

/** The CDC strategy's beans (strategy 4), configured from {@code hub.cdc.*} and {@code hub.warehouse.*}. */
@Configuration
public class CdcConfiguration extends StrategyConfiguration {

    @PropertyInject("hub.cdc.enabled")
    private boolean enabled;
    @PropertyInject("hub.cdc.capture")
    private boolean capture;
    @PropertyInject("hub.cdc.tables")
    private String tables;
    @PropertyInject(value = "hub.cdc.sync-topics", defaultValue = "")
    private String syncTopics;
    @PropertyInject("hub.cdc.topic-prefix")
    private String topicPrefix;
    @PropertyInject("hub.cdc.index-prefix")
    private String indexPrefix;
    @PropertyInject("hub.cdc.state-dir")
    private String stateDir;
    @PropertyInject("hub.cdc.server-id")
    private long serverId;
    @PropertyInject("hub.cdc.poll-interval-ms")
    private long pollIntervalMs;
    @PropertyInject("hub.cdc.max-batch-size")
    private int maxBatchSize;
    @PropertyInject("hub.cdc.offset-flush-interval-ms")
    private long offsetFlushIntervalMs;
    @PropertyInject(value = "hub.cdc.db.url", defaultValue = "")
    private String cdcDbUrl;
    @PropertyInject(value = "hub.cdc.db.username", defaultValue = "")
    private String cdcDbUsername;
    @PropertyInject(value = "hub.cdc.db.password", defaultValue = "")
    private String cdcDbPassword;
    @PropertyInject("hub.db.url")
    private String dbUrl;
    @PropertyInject("hub.db.username")
    private String dbUsername;
    @PropertyInject(value = "hub.db.password", defaultValue = "")
    private String dbPassword;
    @PropertyInject("hub.warehouse.url")
    private String warehouseUrl;
    @PropertyInject("hub.warehouse.username")
    private String warehouseUsername;
    @PropertyInject(value = "hub.warehouse.password", defaultValue = "")
    private String warehousePassword;
    @PropertyInject("hub.kafka.brokers")
    private String kafkaBrokers;
    @PropertyInject("hub.kafka.partitions")
    private int topicPartitions;
    @PropertyInject("hub.kafka.replication-factor")
    private int topicReplicationFactor;
    @PropertyInject("hub.startup.dependency-wait-seconds")
    private int startupWaitSeconds;

    private final CdcEngineStatus engineStatus = new CdcEngineStatus();

    /** The topics of the captured tables: {@code <prefix>.<database>.<table>}, as Debezium names them. */
    @BindToRegistry("cdcTopics")
    public String cdcTopics() {
        return String.join(",", tables().stream().map(t -> topicPrefix + "." + t).toList());
    }

    /** {@code cdc-mysql:<name>}: the captured database from {@code hub.cdc.db.*}, else the hub's own database. */
    @BindToRegistry("cdc-mysql")
    public CdcEngineComponent cdcEngineComponent() throws Exception {
        boolean own = cdcDbUrl.isBlank();
        URI db = URI.create((own ? dbUrl : cdcDbUrl).substring("jdbc:".length()));
        MySqlConnectorEmbeddedDebeziumConfiguration config = new MySqlConnectorEmbeddedDebeziumConfiguration();
        config.setDatabaseHostname(db.getHost());
        config.setDatabasePort(db.getPort() > 0 ? db.getPort() : 3306);
        config.setDatabaseUser(own ? dbUsername : cdcDbUsername);
        config.setDatabasePassword(own ? dbPassword : cdcDbPassword);
        config.setDatabaseServerId(serverId);
        config.setTopicPrefix(topicPrefix);
        // <prefix>.<database>.<table>, as Kafka Connect names them (Camel's default strategy leaves out the database)
        config.setTopicNamingStrategy("io.debezium.schema.DefaultTopicNamingStrategy");
        config.setDatabaseIncludeList(String.join(",", tables().stream().map(t -> t.substring(0, t.indexOf('.')))
                .distinct().toList()));
        config.setTableIncludeList(String.join(",", tables().stream().map(t -> t.replace(".", "\\.")).toList()));
        // durable state under the data directory: a restart resumes from the last committed offset
        Path state = Path.of(stateDir);
        Files.createDirectories(state);
        config.setOffsetStorageFileName(state.resolve("offsets.dat").toString());
        config.setSchemaHistoryInternal("io.debezium.storage.file.history.FileSchemaHistory");
        config.setSchemaHistoryInternalFileFilename(state.resolve("schema-history.dat").toString());
        config.setOffsetFlushIntervalMs(offsetFlushIntervalMs);
        config.setPollIntervalMs(pollIntervalMs);
        config.setMaxBatchSize(maxBatchSize);
        config.setMaxQueueSize(Math.max(8192, maxBatchSize * 4));
        // values that read the same without a schema: exact decimals as text, bytes as base64, times as ISO text
        config.setDecimalHandlingMode("string");
        config.setIncludeSchemaChanges(false);
        config.setTombstonesOnDelete(true);
        config.setConverters("temporal");
        config.setAdditionalProperties(new HashMap<>(Map.of(
                "temporal.type", TemporalAsText.class.getName(),
                "binary.handling.mode", "base64",
                "key.converter.schemas.enable", "false",
                "value.converter.schemas.enable", "false")));
        return new CdcEngineComponent(config, engineStatus);
    }

    @BindToRegistry
    public CdcEngineStatus cdcEngineStatus() {
        return engineStatus;
    }

    @BindToRegistry(value = "warehouseDataSource", destroyMethod = "close")
    public HikariDataSource warehouseDataSource() {
        return once("warehouseDataSource",
                () -> ConnectionPools.pool("warehouse", warehouseUrl, warehouseUsername, warehousePassword, 4));
    }

    @BindToRegistry
    public ChangeEvents cdcChanges() {
        return new ChangeEvents(getCamelContext().createProducerTemplate(), DeadLetterRoutes.ENDPOINT);
    }

    @BindToRegistry
    public SearchSync cdcSearchSync() {
        return new SearchSync(bean("esRestClient", RestClient.class), indexPrefix,
                getCamelContext().createProducerTemplate(), DeadLetterRoutes.ENDPOINT);
    }

    @BindToRegistry
    public WarehouseSync cdcWarehouseSync() {
        return new WarehouseSync(bean("warehouseDataSource", DataSource.class));
    }

    @Override
    public void configure(CamelContext camel) throws Exception {
        if (syncTopics.isBlank()) {
            // before the route files load, so cdc-sync subscribes to the captured tables' topics
            camel.getPropertiesComponent().addOverrideProperty("hub.cdc.sync-topics", cdcTopics());
        }
        if (!enabled) {
            return;
        }
        Duration wait = Duration.ofSeconds(startupWaitSeconds);
        camel.addService(new DatabaseSchema(bean("warehouseDataSource", DataSource.class), "db/warehouse.sql", wait),
                true, true);
        camel.addService(new KafkaTopics(KafkaHealthCheck.adminConfig(kafkaBrokers, camel),
                List.of(cdcTopics().split(",")), topicPartitions, (short) topicReplicationFactor), true, true);
        if (capture) {
            HealthCheckHelper.getHealthCheckRegistry(camel).register(new CdcEngineHealthCheck(engineStatus));
            // hub_cdc_engine_state{state}: 1 for the state the engine is in, 0 for the others
            for (CdcEngineStatus.State state : CdcEngineStatus.State.values()) {
                Gauge.builder("hub.cdc.engine.state", engineStatus, s -> s.state() == state ? 1 : 0)
                        .tag("state", state.name()).register(bean("metricsRegistry", MeterRegistry.class));
            }
        }
    }

    private List<String> tables() {
        return List.of(tables.split("\\s*,\\s*"));
    }
}
