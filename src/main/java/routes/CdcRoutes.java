package routes;

import hub.kafka.KafkaBatches;
import org.apache.camel.LoggingLevel;
import org.apache.camel.builder.RouteBuilder;

/**
 * Strategy 4: change data capture. The embedded Debezium engine reads the MySQL binlog (after a first snapshot)
 * and publishes each change to {@code <prefix>.<database>.<table>} in Debezium's JSON envelope, keyed by primary
 * key, with a tombstone after each delete. The sync route applies those topics, whoever filled them (the hub or
 * Kafka Connect), to Elasticsearch and to the warehouse.
 */
public class CdcRoutes extends RouteBuilder {

    @Override
    public void configure() {
        String topics = getContext().getRegistry().lookupByNameAndType("cdcTopics", String.class);

        // One exchange per engine batch; the engine commits its offsets only after Kafka acknowledged the whole
        // batch. A failed send is retried in place until Kafka takes it: the binlog waits, nothing is skipped.
        from("cdc-mysql:{{hub.cdc.name}}")
                .routeId("cdc-capture")
                .autoStartup("{{hub.cdc.enabled}}")
                .errorHandler(defaultErrorHandler()
                        .maximumRedeliveries(-1)
                        .redeliveryDelay(500)
                        .useExponentialBackOff()
                        .maximumRedeliveryDelay(10_000)
                        .retryAttemptedLogLevel(LoggingLevel.WARN))
                .to("kafka:{{hub.cdc.topic-prefix}}?batchWithIndividualHeaders=true");

        // a poll per step: parse (poison to the dead-letter topic), one _bulk request, one warehouse transaction,
        // then the offsets
        from("kafka:" + topics + "?groupId={{hub.cdc.group-id}}&batching=true"
                + "&maxPollRecords={{hub.cdc.sync-batch}}&pollTimeoutMs=100")
                .routeId("cdc-sync")
                .routeConfigurationId(ErrorPolicy.ID)
                .autoStartup("{{hub.cdc.enabled}}")
                .setVariable("records", body())
                .bean("cdcChanges", "parse")
                .bean("cdcSearchSync", "apply")
                .bean("cdcWarehouseSync", "apply")
                .setBody(variable("records"))
                .bean(KafkaBatches.class, "commit");
    }
}
