package hub.cdc;

import java.util.Map;

import org.apache.camel.Endpoint;
import org.apache.camel.component.debezium.mysql.configuration.MySqlConnectorEmbeddedDebeziumConfiguration;
import org.apache.camel.support.DefaultComponent;

/**
 * {@code cdc-mysql:<name>}: camel-debezium-mysql's connector configuration run by an embedded Debezium engine that
 * hands over a whole batch of change events at a time and reports how it ended. Camel's own
 * {@code debezium-mysql} consumer sends one exchange per event, lets the engine commit an event whose exchange
 * failed, and sets no completion callback, so a failed engine would only be a log line.
 */
public class CdcEngineComponent extends DefaultComponent {

    private final MySqlConnectorEmbeddedDebeziumConfiguration configuration;
    private final CdcEngineStatus status;

    public CdcEngineComponent(MySqlConnectorEmbeddedDebeziumConfiguration configuration, CdcEngineStatus status) {
        this.configuration = configuration;
        this.status = status;
    }

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        MySqlConnectorEmbeddedDebeziumConfiguration config =
                (MySqlConnectorEmbeddedDebeziumConfiguration) configuration.copy();
        config.setName(remaining);
        // the same options as debezium-mysql's endpoint, for overrides in the URI
        setProperties(config, parameters);
        // not Camel's validation, which refuses an empty password (the embedded MariaDB's root has none): the
        // engine validates the connector configuration at start and a rejection shows in the health check
        return new CdcEngineEndpoint(uri, this, config, status);
    }
}
