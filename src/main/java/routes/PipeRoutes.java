package routes;

import hub.pipe.PipeMessages;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.es.ElasticsearchConstants;

/**
 * The hub's first pipe, end to end: a JSON message produced to {@code hub.pipe} by any Kafka client is
 * stored in MariaDB ({@code pipe_messages}) and indexed in Elasticsearch ({@code pipe-messages}). Both
 * writes are keyed by the message id, so a redelivery changes nothing.
 */
public class PipeRoutes extends RouteBuilder {

    @Override
    public void configure() {
        from("kafka:{{hub.pipe.topic}}?groupId={{hub.kafka.group-id}}")
                .routeId("pipe-kafka-to-sql-and-search")
                .routeConfigurationId(ErrorPolicy.ID)
                .bean(PipeMessages.class, "toRecord")
                .setProperty("record", body())
                .to("sql:INSERT INTO pipe_messages (id, payload, source_topic, source_partition, source_offset)"
                        + " VALUES (:#id, :#payload, :#source_topic, :#source_partition, :#source_offset)"
                        + " ON DUPLICATE KEY UPDATE id = id")
                .setBody(exchangeProperty("record"))
                .bean(PipeMessages.class, "toDocument")
                .setHeader(ElasticsearchConstants.PARAM_INDEX_ID, simple("${exchangeProperty.record[id]}"))
                .to("elasticsearch:hub?operation=Index&indexName={{hub.pipe.index}}");
    }
}
