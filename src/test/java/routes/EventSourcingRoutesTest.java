package routes;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import hub.testing.Database;
import hub.testing.HubTestSupport;
import hub.testing.Kafka;
import org.junit.jupiter.api.Test;

class EventSourcingRoutesTest extends HubTestSupport {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(60);

    @Test
    void appendedEventsArePublishedInOrderAndProjected() throws Exception {
        String uuid = UUID.randomUUID().toString();
        HttpResponse<String> created = append(uuid, 0, "OrderCreated", "{\"user_id\":7,\"total\":\"59.90\",\"currency\":\"EUR\","
                + "\"items\":[{\"sku\":\"A-1\",\"qty\":2,\"price\":\"29.95\"}]}");
        assertEquals(201, created.statusCode(), created.body());
        assertEquals(1, JSON.readTree(created.body()).get("sequence").asInt());
        assertEquals(201, append(uuid, 1, "OrderPaid", "{\"payment_id\":\"pay-1\"}").statusCode());
        assertEquals(201, append(uuid, 2, "OrderShipped", "{\"carrier\":\"DHL\"}").statusCode());

        Map<String, Object> row = awaitProjection(uuid, 3);
        assertEquals("shipped", row.get("status"));
        assertEquals("59.90", row.get("total").toString());
        assertEquals(7L, ((Number) row.get("user_id")).longValue());
        assertNotNull(row.get("paid_at"));
        assertNotNull(row.get("shipped_at"));

        var records = await().atMost(WAIT).until(() -> Kafka.readAll(property("hub.events.topic"), Duration.ofSeconds(1))
                .stream().filter(r -> uuid.equals(r.key())).toList(), l -> l.size() >= 3);
        assertEquals(List.of("OrderCreated", "OrderPaid", "OrderShipped"),
                records.stream().map(r -> Kafka.header(r, "event-type")).toList());
        for (int i = 0; i < 3; i++) {
            JsonNode event = JSON.readTree(records.get(i).value());
            assertEquals(i + 1, event.get("sequence").asInt());
            assertEquals(uuid, event.get("aggregate_uuid").asText());
            assertTrue(event.get("event_version").asInt() >= 1);
            assertTrue(event.get("timestamp").isTextual());
        }
        // the outbox keeps nothing once Kafka has it
        await().atMost(WAIT).until(() -> Database.query("SELECT position FROM order_event_outbox WHERE aggregate_uuid = ?",
                uuid).isEmpty());
    }

    @Test
    void twoWritersRacingForTheNextSequenceOneWinsTheOtherGets409() throws Exception {
        String uuid = UUID.randomUUID().toString();
        assertEquals(201, append(uuid, 0, "OrderCreated", created(3, "10.00")).statusCode());
        int writers = 8;
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Integer>> answers = new ArrayList<>();
        for (int i = 0; i < writers; i++) {
            boolean pay = i % 2 == 0;
            answers.add(pool.submit(() -> {
                go.await();
                return pay ? append(uuid, 1, "OrderPaid", "{}").statusCode()
                        : append(uuid, 1, "OrderCancelled", "{\"reason\":\"race\"}").statusCode();
            }));
        }
        go.countDown();
        List<Integer> statuses = new ArrayList<>();
        for (Future<Integer> answer : answers) {
            statuses.add(answer.get());
        }
        pool.shutdown();
        assertEquals(1, statuses.stream().filter(s -> s == 201).count(), statuses.toString());
        assertEquals(writers - 1, statuses.stream().filter(s -> s == 409).count(), statuses.toString());
        assertEquals(2, Database.query("SELECT sequence FROM order_events WHERE aggregate_uuid = ?", uuid).size());

        HttpResponse<String> stale = append(uuid, 0, "OrderPaid", "{}");
        assertEquals(409, stale.statusCode());
        assertTrue(JSON.readTree(stale.body()).get("message").asText().contains("is at sequence 2"), stale.body());
        HttpResponse<String> ahead = append(uuid, 5, "OrderPaid", "{}");
        assertEquals(409, ahead.statusCode());
    }

    @Test
    void anEventThatMayNotFollowTheOrdersStateIsRefused() throws Exception {
        String uuid = UUID.randomUUID().toString();
        HttpResponse<String> notCreated = append(uuid, 0, "OrderPaid", "{}");
        assertEquals(409, notCreated.statusCode(), notCreated.body());
        assertEquals(201, append(uuid, 0, "OrderCreated", created(3, "10.00")).statusCode());
        HttpResponse<String> shipUnpaid = append(uuid, 1, "OrderShipped", "{}");
        assertEquals(409, shipUnpaid.statusCode());
        assertTrue(JSON.readTree(shipUnpaid.body()).get("message").asText().contains("is pending"), shipUnpaid.body());
    }

    @Test
    void invalidEventsAreRefusedWith400AtTheApiAndDeadLetteredFromTheTopic() throws Exception {
        String uuid = UUID.randomUUID().toString();
        HttpResponse<String> wrongTypes = append(uuid, 0, "OrderCreated", "{\"user_id\":\"seven\",\"total\":12.5}");
        assertEquals(400, wrongTypes.statusCode(), wrongTypes.body());
        Set<String> fields = new java.util.HashSet<>();
        JSON.readTree(wrongTypes.body()).get("errors").forEach(e -> fields.add(e.get("field").asText()));
        assertEquals(Set.of("data.user_id", "data.total", "data.currency"), fields);
        assertEquals(400, api("POST", "/api/aggregates/orders/" + uuid + "/events",
                "{\"expected_sequence\":0,\"type\":\"OrderExploded\",\"data\":{}}").statusCode());
        assertEquals(400, api("POST", "/api/aggregates/orders/" + uuid + "/events", "{\"type\":").statusCode());
        assertEquals(400, append(uuid, 0, "OrderCreated", created(1, "1.00"), 9).statusCode());
        assertTrue(Database.query("SELECT position FROM order_events WHERE aggregate_uuid = ?", uuid).isEmpty());

        String bad = UUID.randomUUID().toString();
        Kafka.send(property("hub.events.topic"), bad, event("OrderCreated", bad, 1, 2, "{\"user_id\":1,\"total\":\"x\",\"currency\":\"EUR\"}"));
        String unknown = UUID.randomUUID().toString();
        Kafka.send(property("hub.events.topic"), unknown, event("OrderTeleported", unknown, 1, 1, "{}"));
        String good = UUID.randomUUID().toString();
        Kafka.send(property("hub.events.topic"), good, event("OrderCreated", good, 1, 2, created(2, "3.00")));

        awaitProjection(good, 1);
        for (String key : List.of(bad, unknown)) {
            var dead = await().atMost(WAIT).until(() -> Kafka.readAll(property("hub.dead-letter.topic"), Duration.ofSeconds(1))
                    .stream().filter(r -> key.equals(r.key())).toList(), l -> l.size() >= 2);
            assertEquals(Set.of("events-record-store", "events-project-orders"),
                    Set.copyOf(dead.stream().map(r -> Kafka.header(r, "dead-letter-route")).toList()));
            assertTrue(dead.stream().allMatch(r -> Kafka.header(r, "dead-letter-reason").startsWith("invalid event: ")),
                    Kafka.header(dead.get(0), "dead-letter-reason"));
            assertEquals("order-events", Kafka.header(dead.get(0), "dead-letter-source-topic"));
            assertTrue(Database.query("SELECT uuid FROM order_projection WHERE uuid = ?", key).isEmpty());
        }
    }

    @Test
    void olderEventVersionsAreUpcastBeforeTheProjectorSeesThem() throws Exception {
        String uuid = UUID.randomUUID().toString();
        Kafka.send(property("hub.events.topic"), uuid, event("OrderCreated", uuid, 1, 1, "{\"user_id\":11,\"total_cents\":1999}"));

        Map<String, Object> row = awaitProjection(uuid, 1);
        assertEquals("19.99", row.get("total").toString());
        assertEquals("EUR", row.get("currency"));
        JsonNode state = JSON.readTree(api("GET", "/api/aggregates/orders/" + uuid, null).body());
        assertEquals("19.99", state.at("/state/total").asText());
        // history keeps the event as it was written
        JsonNode history = JSON.readTree(api("GET", "/api/aggregates/orders/" + uuid + "/history", null).body());
        assertEquals(1, history.at("/events/0/event_version").asInt());
        assertEquals(1999, history.at("/events/0/data/total_cents").asInt());
        // and the API accepts the old shape too
        String viaApi = UUID.randomUUID().toString();
        assertEquals(201, append(viaApi, 0, "OrderCreated", "{\"user_id\":11,\"total_cents\":500}", 1).statusCode());
        assertEquals("5.00", awaitProjection(viaApi, 1).get("total").toString());
    }

    @Test
    void redeliveredAndOlderEventsChangeNothing() throws Exception {
        String uuid = UUID.randomUUID().toString();
        String topic = property("hub.events.topic");
        Instant t0 = Instant.now().truncatedTo(ChronoUnit.MILLIS).minusSeconds(60);
        Kafka.send(topic, uuid, event("OrderCreated", uuid, 1, 2, created(4, "40.00"), t0));
        Kafka.send(topic, uuid, event("OrderPaid", uuid, 2, 1, "{}", t0.plusSeconds(1)));
        Map<String, Object> paid = awaitProjection(uuid, 2);

        // the same paid event again, later, and the created event with another total
        Kafka.send(topic, uuid, event("OrderPaid", uuid, 2, 1, "{}", t0.plusSeconds(30)));
        Kafka.send(topic, uuid, event("OrderCreated", uuid, 1, 2, created(4, "99.00"), t0.plusSeconds(31)));
        String marker = UUID.randomUUID().toString();
        Kafka.send(topic, marker, event("OrderCreated", marker, 1, 2, created(4, "1.00")));
        awaitProjection(marker, 1);
        awaitCommitted(property("hub.events.projector-group"));

        Map<String, Object> after = Database.query("SELECT * FROM order_projection WHERE uuid = ?", uuid).get(0);
        assertEquals(paid, after);
        assertEquals("40.00", after.get("total").toString());
        assertEquals(2, ((Number) after.get("version")).intValue());
        assertEquals(2, Database.query("SELECT sequence FROM order_events WHERE aggregate_uuid = ?", uuid).size());
    }

    @Test
    void aGapIsReportedAndParkedUntilTheMissingEventArrives() throws Exception {
        String uuid = UUID.randomUUID().toString();
        String topic = property("hub.events.topic");
        Kafka.send(topic, uuid, event("OrderCreated", uuid, 1, 2, created(5, "12.00")));
        Kafka.send(topic, uuid, event("OrderShipped", uuid, 3, 1, "{\"carrier\":\"UPS\"}"));

        await().atMost(WAIT).until(() -> projectionStatus().at("/live/gaps/orders").toString().contains(uuid));
        assertEquals(1, ((Number) awaitProjection(uuid, 1).get("version")).intValue());
        assertEquals(1, Database.query("SELECT sequence FROM projection_parked WHERE aggregate_uuid = ?", uuid).size());

        Kafka.send(topic, uuid, event("OrderPaid", uuid, 2, 1, "{}"));
        Map<String, Object> row = awaitProjection(uuid, 3);
        assertEquals("shipped", row.get("status"));
        assertTrue(Database.query("SELECT sequence FROM projection_parked WHERE aggregate_uuid = ?", uuid).isEmpty());
        assertTrue(!projectionStatus().at("/live/gaps/orders").toString().contains(uuid));
    }

    @Test
    void historyAndStateAsOfAPointInTime() throws Exception {
        String uuid = UUID.randomUUID().toString();
        JsonNode created = JSON.readTree(append(uuid, 0, "OrderCreated", created(8, "80.00")).body());
        JsonNode paid = JSON.readTree(append(uuid, 1, "OrderPaid", "{}").body());
        JsonNode cancelled = JSON.readTree(append(uuid, 2, "OrderCancelled", "{\"reason\":\"changed mind\"}").body());
        assertEquals(201, append(uuid, 3, "OrderRefunded", "{\"amount\":\"80.00\"}").statusCode());

        JsonNode history = JSON.readTree(api("GET", "/api/aggregates/orders/" + uuid + "/history", null).body());
        List<String> types = new ArrayList<>();
        history.get("events").forEach(e -> types.add(e.get("type").asText()));
        assertEquals(List.of("OrderCreated", "OrderPaid", "OrderCancelled", "OrderRefunded"), types);
        assertEquals(404, api("GET", "/api/aggregates/orders/" + UUID.randomUUID() + "/history", null).statusCode());

        assertEquals("refunded", state(uuid, null).at("/state/status").asText());
        assertEquals("paid", state(uuid, paid.get("timestamp").asText()).at("/state/status").asText());
        JsonNode atCancel = state(uuid, cancelled.get("timestamp").asText());
        assertEquals("cancelled", atCancel.at("/state/status").asText());
        assertEquals(3, atCancel.get("version").asInt());
        Instant beforeCreation = Instant.parse(created.get("timestamp").asText()).minusMillis(1);
        assertEquals(404, api("GET", "/api/aggregates/orders/" + uuid + "?asOf=" + beforeCreation, null).statusCode());
        assertEquals(400, api("GET", "/api/aggregates/orders/" + uuid + "?asOf=yesterday", null).statusCode());
    }

    @Test
    void snapshotsBoundWhatAStateReadReplays() throws Exception {
        int every = Integer.parseInt(property("hub.events.snapshot-every"));
        String uuid = UUID.randomUUID().toString();
        String topic = property("hub.events.topic");
        Instant t0 = Instant.now().truncatedTo(ChronoUnit.MILLIS).minusSeconds(3600);
        Kafka.send(topic, uuid, event("OrderCreated", uuid, 1, 2, created(9, "9.00"), t0));
        int events = every + 5;
        for (int seq = 2; seq <= events; seq++) {
            Kafka.send(topic, uuid, event("OrderPaid", uuid, seq, 1, "{\"payment_id\":\"p" + seq + "\"}", t0.plusSeconds(seq)));
        }
        await().atMost(WAIT).until(() -> !Database.query("SELECT sequence FROM order_snapshots WHERE aggregate_uuid = ?"
                + " AND sequence = ?", uuid, every).isEmpty());
        await().atMost(WAIT).until(() -> state(uuid, null).get("version").asInt() == events);

        JsonNode now = state(uuid, null);
        assertEquals(every, now.get("snapshot_sequence").asInt());
        assertEquals(events - every, now.get("replayed_events").asInt());
        JsonNode past = state(uuid, t0.plusSeconds(every - 3).toString());
        assertEquals(every - 3, past.get("version").asInt());
        assertEquals(0, past.get("snapshot_sequence").asInt());
        JsonNode laterPast = state(uuid, t0.plusSeconds(every + 2).toString());
        assertEquals(every + 2, laterPast.get("version").asInt());
        assertEquals(every, laterPast.get("snapshot_sequence").asInt());
        assertEquals(2, laterPast.get("replayed_events").asInt());
    }

    @Test
    void eventsAppendedWhileTheRelayIsDownArePublishedWhenItReturns() throws Exception {
        camel().getRouteController().stopRoute("events-outbox-relay");
        List<String> uuids = new ArrayList<>();
        try {
            for (int i = 0; i < 10; i++) {
                String uuid = UUID.randomUUID().toString();
                assertEquals(201, append(uuid, 0, "OrderCreated", created(10, "1.00")).statusCode());
                uuids.add(uuid);
            }
            assertEquals(10, Database.query("SELECT position FROM order_event_outbox WHERE aggregate_uuid IN ("
                    + String.join(",", uuids.stream().map(u -> "'" + u + "'").toList()) + ")").size());
        } finally {
            camel().getRouteController().startRoute("events-outbox-relay");
        }
        for (String uuid : uuids) {
            awaitProjection(uuid, 1);
        }
    }

    @Test
    void aRebuildReplaysIntoAShadowTableAndSwapsInAnEqualTable() throws Exception {
        for (int i = 0; i < 20; i++) {
            String uuid = UUID.randomUUID().toString();
            append(uuid, 0, "OrderCreated", created(20 + i, i + ".50"));
            if (i % 2 == 0) {
                append(uuid, 1, "OrderPaid", "{}");
            }
            if (i == 19) {
                awaitProjection(uuid, 1);
            }
        }
        awaitCommitted(property("hub.events.projector-group"));
        List<Map<String, Object>> before = Database.query("SELECT * FROM order_projection ORDER BY uuid");
        // a projector bug, say, left a wrong row behind: the rebuild puts it right
        String damaged = (String) before.get(0).get("uuid");
        Database.update("UPDATE order_projection SET status = 'bogus' WHERE uuid = ?", damaged);

        HttpResponse<String> started = api("POST", "/api/projections/order_projection/rebuild", null);
        assertEquals(202, started.statusCode(), started.body());
        // the live table keeps serving meanwhile
        assertEquals(before.size(), Database.query("SELECT uuid FROM order_projection").size());
        JsonNode done = await().atMost(WAIT).until(this::projectionStatus, s -> !"rebuilding".equals(s.get("status").asText()));
        assertEquals("done", done.at("/rebuild/phase").asText(), done.toString());
        assertEquals(0, done.at("/rebuild/lag").asLong());
        assertTrue(done.at("/rebuild/events").asLong() >= before.size());
        assertTrue(done.at("/rebuild/events_per_second").asLong() > 0);
        assertTrue(done.at("/live/position").size() > 0);

        assertEquals(before, Database.query("SELECT * FROM order_projection ORDER BY uuid"));
        assertEquals(404, api("GET", "/api/projections/nothing", null).statusCode());
    }

    // --- helpers ---------------------------------------------------------------------------------------

    private static HttpResponse<String> append(String uuid, long expected, String type, String data) throws Exception {
        return api("POST", "/api/aggregates/orders/" + uuid + "/events",
                "{\"expected_sequence\":" + expected + ",\"type\":\"" + type + "\",\"data\":" + data + "}");
    }

    private static HttpResponse<String> append(String uuid, long expected, String type, String data, int version)
            throws Exception {
        return api("POST", "/api/aggregates/orders/" + uuid + "/events", "{\"expected_sequence\":" + expected
                + ",\"type\":\"" + type + "\",\"event_version\":" + version + ",\"data\":" + data + "}");
    }

    private static String created(long user, String total) {
        return "{\"user_id\":" + user + ",\"total\":\"" + total + "\",\"currency\":\"EUR\"}";
    }

    private static String event(String type, String uuid, long sequence, int version, String data) throws Exception {
        return event(type, uuid, sequence, version, data, Instant.now());
    }

    private static String event(String type, String uuid, long sequence, int version, String data, Instant at)
            throws Exception {
        ObjectNode event = JSON.createObjectNode();
        event.put("type", type);
        event.put("aggregate_uuid", uuid);
        event.set("data", JSON.readTree(data));
        event.put("timestamp", at.toString());
        event.put("event_version", version);
        event.put("sequence", sequence);
        return event.toString();
    }

    private static JsonNode state(String uuid, String asOf) throws Exception {
        HttpResponse<String> r = api("GET", "/api/aggregates/orders/" + uuid + (asOf == null ? "" : "?asOf=" + asOf), null);
        assertEquals(200, r.statusCode(), r.body());
        return JSON.readTree(r.body());
    }

    private JsonNode projectionStatus() throws Exception {
        HttpResponse<String> r = api("GET", "/api/projections/order_projection", null);
        assertEquals(200, r.statusCode(), r.body());
        return JSON.readTree(r.body());
    }

    private static Map<String, Object> awaitProjection(String uuid, int version) {
        return await().atMost(WAIT).until(() -> Database.query("SELECT * FROM order_projection WHERE uuid = ?", uuid),
                rows -> !rows.isEmpty() && ((Number) rows.get(0).get("version")).intValue() >= version).get(0);
    }

    private static void awaitCommitted(String group) {
        await().atMost(WAIT).until(() -> Kafka.uncommitted(group, property("hub.events.topic")) == 0);
    }
}
