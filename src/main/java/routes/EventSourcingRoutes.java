package routes;

import hub.kafka.KafkaBatches;
import hub.kafka.OutboxRows;
import org.apache.camel.builder.RouteBuilder;

/**
 * Strategy 2: event sourcing. Appends go into the event store with their outbox row in one transaction; the
 * relay publishes them to {@code order-events}; the store also records events other applications publish
 * there; the orders projector folds them into {@code order_projection}, which can be rebuilt by replay.
 */
public class EventSourcingRoutes extends RouteBuilder {

    @Override
    public void configure() {
        // rows leave the outbox only after Kafka acknowledged them: a crash in between publishes them again,
        // and every consumer of order-events skips a sequence it already has
        from("sql:SELECT position AS id, aggregate_uuid, event_type, payload FROM order_event_outbox"
                + " ORDER BY position LIMIT {{hub.events.outbox-batch}}?delay={{hub.events.outbox-poll-ms}}"
                + "&useIterator=false&routeEmptyResultSet=false")
                .routeId("events-outbox-relay")
                .routeConfigurationId(ErrorPolicy.ID)
                .setHeader("ids", method(OutboxRows.class, "ids"))
                .setBody(method(OutboxRows.class, "records"))
                .to("kafka:{{hub.events.topic}}?batchWithIndividualHeaders=true")
                .to("sql:DELETE FROM order_event_outbox WHERE position IN (:#in:ids)");

        from("kafka:{{hub.events.topic}}?groupId={{hub.events.store-group}}&batching=true"
                + "&maxPollRecords={{hub.events.batch}}"
                + "&pollTimeoutMs={{hub.kafka.batching-poll-timeout-ms}}&batchingIntervalMs={{hub.kafka.batching-interval-ms}}")
                .routeId("events-record-store")
                .routeConfigurationId(ErrorPolicy.ID)
                .bean("eventStore", "record")
                .bean(KafkaBatches.class, "commit");

        from("kafka:{{hub.events.topic}}?groupId={{hub.events.projector-group}}&batching=true"
                + "&maxPollRecords={{hub.events.batch}}"
                + "&pollTimeoutMs={{hub.kafka.batching-poll-timeout-ms}}&batchingIntervalMs={{hub.kafka.batching-interval-ms}}")
                .routeId("events-project-orders")
                .routeConfigurationId(ErrorPolicy.ID)
                .bean("orderProjector", "projectBatch")
                .bean(KafkaBatches.class, "commit");

        rest("/api").description("Orders (event sourcing)")
                .post("/aggregates/orders/{uuid}/events")
                    .description("Append an event: expected_sequence, type, data[, event_version]; 409 if another writer was first")
                    .to("direct:api-events-append")
                .get("/aggregates/orders/{uuid}/history").description("The order's events in sequence order")
                    .to("direct:api-events-history")
                .get("/aggregates/orders/{uuid}").description("The order's state from its events; asOf=ISO-8601 for the past")
                    .to("direct:api-events-state")
                .post("/projections/{name}/rebuild").description("Replay order-events into a shadow table and swap it in")
                    .to("direct:api-projections-rebuild")
                .get("/projections/{name}").description("Status, position, lag and events/s of the projection")
                    .to("direct:api-projections-status");

        RestApi.handler(this, "api-events-append", "eventsApi", "append");
        RestApi.handler(this, "api-events-history", "eventsApi", "history");
        RestApi.handler(this, "api-events-state", "eventsApi", "state");
        RestApi.handler(this, "api-projections-rebuild", "eventsApi", "rebuild");
        RestApi.handler(this, "api-projections-status", "eventsApi", "status");
    }
}
