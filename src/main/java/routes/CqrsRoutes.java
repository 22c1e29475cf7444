package routes;

import org.apache.camel.builder.RouteBuilder;
import hub.kafka.KafkaBatches;
import hub.kafka.OutboxRows;

/**
 * Strategy 3: CQRS. Commands write the SQL write model and an outbox row in one transaction; the relay
 * publishes outbox rows in order to {@code order-commands}; the read model indexes them in Elasticsearch;
 * queries read only Elasticsearch.
 */
public class CqrsRoutes extends RouteBuilder {

    @Override
    public void configure() {
        // Each poll takes the unpublished rows in id order and sends them as one batch (the Kafka producer
        // keeps their order per partition); rows are marked published only after Kafka acknowledged all of
        // them. A crash in between sends them again, and the read model's versioning makes that harmless.
        from("sql:SELECT id, aggregate_uuid, event_type, payload FROM order_outbox WHERE published_at IS NULL"
                + " ORDER BY id LIMIT {{hub.cqrs.outbox-batch}}?delay={{hub.cqrs.outbox-poll-ms}}&useIterator=false&routeEmptyResultSet=false")
                .routeId("cqrs-outbox-relay")
                .routeConfigurationId(ErrorPolicy.ID)
                .setHeader("ids", method(OutboxRows.class, "ids"))
                .setBody(method(OutboxRows.class, "records"))
                .to("kafka:{{hub.cqrs.topic}}?batchWithIndividualHeaders=true")
                .to("sql:UPDATE order_outbox SET published_at = CURRENT_TIMESTAMP(3) WHERE id IN (:#in:ids)");

        // a poll's events in one bulk request; offsets are committed after it
        from("kafka:{{hub.cqrs.topic}}?groupId={{hub.cqrs.read-model-group}}&batching=true"
                + "&maxPollRecords={{hub.cqrs.read-model-batch}}&consumersCount={{hub.cqrs.read-model-consumers}}"
                + "&pollTimeoutMs={{hub.kafka.batching-poll-timeout-ms}}&batchingIntervalMs={{hub.kafka.batching-interval-ms}}")
                .routeId("cqrs-orders-to-search")
                .routeConfigurationId(ErrorPolicy.ID)
                .bean("orderReadModel", "applyBatch")
                .bean(KafkaBatches.class, "commit");

        rest("/api").description("Orders (CQRS)")
                .post("/orders").description("CreateOrder: user_id, items[{sku, qty, price}], currency")
                    .to("direct:api-orders-create")
                .get("/orders/search").description("Full-text search on sku and fields (q, sort, page, size)")
                    .to("direct:api-orders-search")
                .get("/orders/{uuid}").description("One order from the read model; minVersion waits for that version")
                    .to("direct:api-orders-get")
                .post("/orders/{uuid}/pay").to("direct:api-orders-pay")
                .post("/orders/{uuid}/cancel").to("direct:api-orders-cancel")
                .get("/users/{id}/orders").description("A user's orders (status, sort, page, size)")
                    .to("direct:api-users-orders")
                .get("/users/{id}/orders/summary").description("Count and sum of totals by status")
                    .to("direct:api-users-orders-summary");

        RestApi.handler(this, "api-orders-create", "ordersApi", "create");
        RestApi.handler(this, "api-orders-search", "ordersApi", "search");
        RestApi.handler(this, "api-orders-get", "ordersApi", "order");
        RestApi.handler(this, "api-orders-pay", "ordersApi", "pay");
        RestApi.handler(this, "api-orders-cancel", "ordersApi", "cancel");
        RestApi.handler(this, "api-users-orders", "ordersApi", "ordersOfUser");
        RestApi.handler(this, "api-users-orders-summary", "ordersApi", "summary");
    }
}
