package hub.cdc;

import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.component.debezium.mysql.configuration.MySqlConnectorEmbeddedDebeziumConfiguration;
import org.apache.camel.support.DefaultEndpoint;

/** One embedded Debezium MySQL engine; consumer only. */
public class CdcEngineEndpoint extends DefaultEndpoint {

    private final MySqlConnectorEmbeddedDebeziumConfiguration configuration;
    private final CdcEngineStatus status;

    CdcEngineEndpoint(String uri, CdcEngineComponent component, MySqlConnectorEmbeddedDebeziumConfiguration configuration,
            CdcEngineStatus status) {
        super(uri, component);
        this.configuration = configuration;
        this.status = status;
    }

    @Override
    public Producer createProducer() {
        throw new UnsupportedOperationException("cdc-mysql only captures changes");
    }

    @Override
    public Consumer createConsumer(Processor processor) throws Exception {
        Consumer consumer = new CdcEngineConsumer(this, processor, configuration, status);
        configureConsumer(consumer);
        return consumer;
    }
}
