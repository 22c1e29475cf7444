package routes;

import org.apache.camel.LoggingLevel;
import org.apache.camel.builder.RouteBuilder;

/**
 * Strategy 4: change data capture. The embedded Debezium engine reads the MySQL binlog (after a first snapshot)
 * and publishes each change to {@code <prefix>.<database>.<table>} in Debezium's JSON envelope, keyed by primary
 * key, with a tombstone after each delete. The sync route, {@code cdc-sync} in {@code camel/cdc-sync.camel.yaml},
 * applies those topics, whoever filled them (the hub or Kafka Connect), to Elasticsearch and to the warehouse.
 */
public class CdcRoutes extends RouteBuilder {

    @Override
    public void configure() {
        // Kafka Connect may do the capture instead (CDC_CAPTURE=false), while the sync route still runs
        boolean capture = Boolean.parseBoolean(getContext().resolvePropertyPlaceholders("{{hub.cdc.enabled}}"))
                && Boolean.parseBoolean(getContext().resolvePropertyPlaceholders("{{hub.cdc.capture}}"));
        // One exchange per engine batch; the engine commits its offsets only after Kafka acknowledged the whole
        // batch. A failed send is retried in place until Kafka takes it: the binlog waits, nothing is skipped.
        from("cdc-mysql:{{hub.cdc.name}}")
                .routeId("cdc-capture")
                .autoStartup(capture)
                .errorHandler(defaultErrorHandler()
                        .maximumRedeliveries(-1)
                        .redeliveryDelay(500)
                        .useExponentialBackOff()
                        .maximumRedeliveryDelay(10_000)
                        .retryAttemptedLogLevel(LoggingLevel.WARN))
                .to("kafka:{{hub.cdc.topic-prefix}}?batchWithIndividualHeaders=true");
    }
}
