package hub.cdc;

import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutorService;

import io.debezium.engine.ChangeEvent;
import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.format.Json;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.apache.camel.component.debezium.mysql.configuration.MySqlConnectorEmbeddedDebeziumConfiguration;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.support.DefaultConsumer;
import org.apache.camel.support.DefaultMessage;

/**
 * Runs the engine and routes each batch of change events as one exchange whose body is a list of Kafka records
 * in Kafka Connect's form: topic {@code <prefix>.<db>.<table>}, key and value as the JSON converter writes them
 * without schemas (the value is Debezium's envelope; null after a delete is the tombstone). The engine commits a
 * batch's offsets only after its exchange completed; an exchange that failed stops the engine instead, so no
 * change is skipped.
 */
public class CdcEngineConsumer extends DefaultConsumer {

    private final MySqlConnectorEmbeddedDebeziumConfiguration configuration;
    private final CdcEngineStatus status;
    private ExecutorService executor;
    private DebeziumEngine<ChangeEvent<String, String>> engine;

    CdcEngineConsumer(CdcEngineEndpoint endpoint, Processor processor,
            MySqlConnectorEmbeddedDebeziumConfiguration configuration, CdcEngineStatus status) {
        super(endpoint, processor);
        this.configuration = configuration;
        this.status = status;
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        Properties properties = configuration.createDebeziumConfiguration().asProperties();
        status.starting(configuration.getTopicPrefix());
        engine = DebeziumEngine.create(Json.class)
                .using(properties)
                .using(new DebeziumEngine.ConnectorCallback() {
                    @Override
                    public void taskStarted() {
                        status.taskStarted();
                    }
                })
                .using(status::completed)
                .notifying(this::handleBatch)
                .build();
        executor = getEndpoint().getCamelContext().getExecutorServiceManager()
                .newSingleThreadExecutor(this, "cdc-engine-" + configuration.getName());
        executor.execute(engine);
    }

    @Override
    protected void doStop() throws Exception {
        if (engine != null) {
            engine.close();
            engine = null;
        }
        if (executor != null) {
            getEndpoint().getCamelContext().getExecutorServiceManager().shutdownGraceful(executor);
            executor = null;
        }
        super.doStop();
    }

    private void handleBatch(List<ChangeEvent<String, String>> events,
            DebeziumEngine.RecordCommitter<ChangeEvent<String, String>> committer) throws InterruptedException {
        Exchange exchange = createExchange(false);
        try {
            exchange.getIn().setBody(events.stream().map(e -> record(exchange, e)).toList());
            getProcessor().process(exchange);
            if (exchange.getException() != null) {
                throw new IllegalStateException("change events not published: " + exchange.getException().getMessage(),
                        exchange.getException());
            }
            for (ChangeEvent<String, String> event : events) {
                committer.markProcessed(event);
            }
            committer.markBatchFinished();
        } catch (InterruptedException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("change events not published: " + e.getMessage(), e);
        } finally {
            releaseExchange(exchange, false);
        }
    }

    private static Message record(Exchange exchange, ChangeEvent<String, String> event) {
        Message record = new DefaultMessage(exchange);
        record.setHeader(KafkaConstants.OVERRIDE_TOPIC, event.destination());
        record.setHeader(KafkaConstants.KEY, event.key());
        record.setBody(event.value());
        return record;
    }
}
