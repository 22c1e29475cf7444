package hub;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import hub.testing.Database;
import hub.testing.HubTestSupport;
import hub.testing.Kafka;
import hub.testing.Search;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.junit.jupiter.api.Test;

/**
 * A corpus of bad input against every REST endpoint that takes a body and the topics whose consumers read
 * outside input: each item gets a 4xx with a JSON error, or a dead-letter record with its reason, and valid
 * input sent right behind it is handled as usual. The hub runs CDC's sync route without the capture engine
 * (as beside Kafka Connect), so the change topics are read too; saga steps may wait 30 s, so a checkout's first
 * step does not time out while the consumers join their groups.
 */
@HubTestSupport.HubProperties({"hub.cdc.enabled=true", "hub.cdc.capture=false", "hub.saga.step-timeout-ms=30000"})
class BadInputTest extends HubTestSupport {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String BIG = "x".repeat(2 * 1024 * 1024);
    private static final String ORDER_CHANGES = "laravel.laravel_db.orders";
    private static final String USER_CHANGES = "laravel.laravel_db.users";

    /** name -> body; every one is wrong for every endpoint below */
    private static Map<String, byte[]> corpus() {
        Map<String, byte[]> corpus = new LinkedHashMap<>();
        corpus.put("malformed JSON", "{\"type\": \"OrderCreated\",".getBytes(StandardCharsets.UTF_8));
        corpus.put("empty body", new byte[0]);
        corpus.put("wrong top-level type", "[1, 2, 3]".getBytes(StandardCharsets.UTF_8));
        corpus.put("missing fields", "{}".getBytes(StandardCharsets.UTF_8));
        corpus.put("wrong field types", ("{\"type\": 42, \"user_id\": \"abc\", \"items\": \"none\", \"order_id\": [],"
                + " \"data\": \"x\", \"expected_sequence\": \"zero\"}").getBytes(StandardCharsets.UTF_8));
        corpus.put("unknown event type", "{\"type\": \"OrderTeleported\", \"expected_sequence\": 0, \"data\": {}}"
                .getBytes(StandardCharsets.UTF_8));
        corpus.put("invalid UTF-8", new byte[] {'{', '"', 't', 'y', 'p', 'e', '"', ':', '"', (byte) 0xC3, (byte) 0x28,
                (byte) 0xFF, '"', '}'});
        corpus.put("2 MiB payload", ("{\"type\": \"OrderCreated\", \"data\": {\"note\": \"" + BIG + "\"}}")
                .getBytes(StandardCharsets.UTF_8));
        corpus.put("SQL-looking strings", ("{\"type\": \"x'); DROP TABLE orders; --\", \"user_id\": \"1 OR 1=1\","
                + " \"order_id\": \"'; DELETE FROM checkout_sagas; --\", \"items\": [{\"sku\": \"' OR ''='\","
                + " \"qty\": \"1; DROP TABLE inventory\"}]}").getBytes(StandardCharsets.UTF_8));
        return corpus;
    }

    @Test
    void everyEndpointAnswersBadBodiesWithA4xxJsonErrorAndStillTakesAGoodOne() throws Exception {
        long orders = count("orders");
        List<String> endpoints = List.of("/api/jobs/default", "/api/aggregates/orders/" + UUID.randomUUID() + "/events",
                "/api/orders", "/api/checkout");
        List<String> failures = new ArrayList<>();
        int sent = 0;
        for (String path : endpoints) {
            for (var item : corpus().entrySet()) {
                sent++;
                HttpResponse<String> r = post(path, item.getValue(), "application/json");
                String problem = clientError(r);
                if (problem != null) {
                    failures.add(path + " / " + item.getKey() + ": " + problem);
                }
            }
            // a body that is not JSON at all
            sent++;
            String problem = clientError(post(path, "order=1".getBytes(StandardCharsets.UTF_8),
                    "application/x-www-form-urlencoded"));
            if (problem != null) {
                failures.add(path + " / form body: " + problem);
            }
        }
        System.out.println("bad input: " + sent + " requests sent, " + (sent - failures.size()) + " answered 4xx with a JSON error");
        assertTrue(failures.isEmpty(), String.join("\n", failures));
        assertEquals(orders, count("orders"), "no bad command wrote an order");

        // the API still works, at once
        HttpResponse<String> good = post("/api/orders", ("{\"user_id\": 7, \"currency\": \"EUR\", \"items\":"
                + " [{\"sku\": \"SKU-1\", \"qty\": 1, \"price\": 9.99}]}").getBytes(StandardCharsets.UTF_8),
                "application/json");
        assertEquals(201, good.statusCode(), good.body());
    }

    @Test
    void badRecordsOnEveryInputTopicAreDeadLetteredWithTheirReasonAndGoodOnesBehindThemAreHandled() throws Exception {
        Map<String, String> topics = Map.of(
                property("hub.pipe.topic"), "pipe-kafka-to-sql-and-search",
                "default", "queue-process-jobs",
                property("hub.events.topic"), "events-project-orders",
                "inventory-commands", "participant-inventory",
                ORDER_CHANGES, "cdc-sync",
                USER_CHANGES, "cdc-sync",
                "inventory-replies", "saga-replies",
                "payment-replies", "saga-replies",
                "shipment-replies", "saga-replies");
        int failedJobsBefore = Kafka.readAll("default.failed", Duration.ofSeconds(1)).size();
        int badJobs = 0;
        Map<String, String> sentKeys = new LinkedHashMap<>();
        for (String topic : topics.keySet()) {
            for (var item : corpus().entrySet()) {
                if (item.getKey().equals("2 MiB payload")) {
                    continue; // the producer refuses records over 1 MiB: twoMebibyteRecords... below
                }
                if (item.getKey().equals("empty body") && topics.get(topic).equals("cdc-sync")) {
                    continue; // on a change topic a record without a value is a tombstone, skipped by design
                }
                String key = "bad-" + UUID.randomUUID();
                Kafka.sendBytes(topic, key, item.getValue(), "event-type", "OrderTeleported");
                if (topic.equals("default")) {
                    badJobs++;
                } else {
                    sentKeys.put(key, topic + " / " + item.getKey());
                }
            }
        }

        // good input right behind, on each topic
        String pipeId = UUID.randomUUID().toString();
        Kafka.send(property("hub.pipe.topic"), pipeId, "{\"id\":\"" + pipeId + "\"}");
        String jobId = UUID.randomUUID().toString();
        Kafka.send("default", jobId, "{\"id\":\"" + jobId + "\",\"type\":\"ProcessOrderEvent\",\"data\":{\"order_id\":\"o-"
                + jobId + "\"}}");
        String order = UUID.randomUUID().toString();
        Kafka.send(property("hub.events.topic"), order, "{\"type\":\"OrderCreated\",\"aggregate_uuid\":\"" + order
                + "\",\"event_version\":2,\"sequence\":1,\"data\":{\"user_id\":1,\"total\":\"1.00\",\"currency\":\"EUR\"},"
                + "\"timestamp\":\"2026-11-29T10:00:00Z\"}", "event-type", "OrderCreated");
        String reserve = UUID.randomUUID().toString();
        Kafka.send("inventory-commands", reserve, "{\"order_id\":\"" + reserve + "\",\"type\":\"reserve\","
                + "\"items\":[{\"sku\":\"NO-SUCH-SKU\",\"qty\":1}]}");
        assertTrue(Kafka.awaitKeyed("inventory-replies", reserve, 1, Duration.ofSeconds(30)).get(0).value()
                .contains("\"success\":false"), "the participant answers the good command behind the bad ones");
        await().atMost(Duration.ofSeconds(30)).until(() ->
                !Database.query("SELECT id FROM pipe_messages WHERE id = ?", pipeId).isEmpty()
                        && !Database.query("SELECT job_id FROM processed_jobs WHERE job_id = ?", jobId).isEmpty()
                        && !Database.query("SELECT uuid FROM order_projection WHERE uuid = ?", order)
                                .isEmpty());

        // each bad record is on the dead-letter topic, with its reason, at least once (a topic read by two groups
        // dead-letters it once per group)
        Map<String, ConsumerRecord<String, String>> dead = awaitDeadLetters(null, List.copyOf(sentKeys.keySet()));
        for (var record : dead.entrySet()) {
            String reason = Kafka.header(record.getValue(), "dead-letter-reason");
            assertTrue(reason != null && !reason.isBlank(), sentKeys.get(record.getKey()) + " has no reason");
        }
        // a job that cannot run is a failed job: on <queue>.failed with its exception, for the failed-jobs API
        int jobs = badJobs;
        List<ConsumerRecord<String, String>> failed = await().atMost(Duration.ofSeconds(30)).until(
                () -> Kafka.readAll("default.failed", Duration.ofSeconds(1)), r -> r.size() >= failedJobsBefore + jobs);
        for (ConsumerRecord<String, String> record : failed.subList(failedJobsBefore, failed.size())) {
            assertFalse(JSON.readTree(record.value()).path("exception").asText().isBlank(), record.value());
        }
        System.out.println("bad input: " + (sentKeys.size() + badJobs) + " bad records sent, " + dead.size()
                + " dead-lettered, " + (failed.size() - failedJobsBefore) + " failed jobs");
        topics.values().forEach(route -> assertTrue(camel().getRouteController().getRouteStatus(route).isStarted(), route));
    }

    @Test
    void camelHeadersOnARecordCannotRewriteWhatARouteDoes() throws Exception {
        // the pipe route writes with the sql component, which would run a CamelSqlQuery header instead of its own
        String before = UUID.randomUUID().toString();
        Kafka.send(property("hub.pipe.topic"), before, "{\"id\":\"" + before + "\"}");
        await().atMost(Duration.ofSeconds(30))
                .until(() -> !Database.query("SELECT id FROM pipe_messages WHERE id = ?", before).isEmpty());

        String id = UUID.randomUUID().toString();
        Kafka.send(property("hub.pipe.topic"), id, "{\"id\":\"" + id + "\"}",
                "CamelSqlQuery", "DELETE FROM pipe_messages",
                "CamelElasticsearchIndexName", "evil-index",
                "kafka.OVERRIDE_TOPIC", "evil-topic");
        await().atMost(Duration.ofSeconds(30))
                .until(() -> !Database.query("SELECT id FROM pipe_messages WHERE id = ?", id).isEmpty());
        assertFalse(Database.query("SELECT id FROM pipe_messages WHERE id = ?", before).isEmpty(),
                "the header's DELETE did not run");
        HttpResponse<String> evil = HTTP.send(HttpRequest.newBuilder(URI.create(
                property("hub.elasticsearch.url") + "/evil-index")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(404, evil.statusCode(), "no index named by a header");
    }

    @Test
    void badChangeEventsAreDeadLetteredWithTheirReasonAndAValidChangeBehindThemIsApplied() throws Exception {
        long id = 900_000_000L + (System.nanoTime() & 0xFFFFFF);
        String source = "{\"db\":\"laravel_db\",\"table\":\"orders\",\"file\":\"bin.000001\",\"pos\":" + id
                + ",\"row\":0,\"ts_ms\":1700000000000}";
        String row = "{\"id\":" + id + ",\"uuid\":\"" + UUID.randomUUID() + "\",\"user_id\":7,\"status\":\"pending\","
                + "\"total\":9.99,\"currency\":\"EUR\"}";
        String key = "{\"id\":" + id + "}";
        // value, key, the reason it is dead-lettered for: each is wrong for a change topic in its own way
        List<String[]> corpus = List.of(
                new String[] {"{\"after\":" + row + ",\"source\":" + source + "}", key, "op is ''"},
                new String[] {change("x", source, row), key, "op is 'x'"},
                new String[] {change(null, source, row), key, "op is 'null'"},
                new String[] {change("c", source, null), key, "'c' without its row image"},
                new String[] {change("u", source, "\"a row\""), key, "'u' without its row image"},
                new String[] {change("d", source, null), key, "'d' without its row image"},
                new String[] {change("c", null, row), key, "without source.db and source.table"},
                new String[] {change("c", source.replace("\"orders\"", "\"orders; DROP TABLE orders; --\""), row), key,
                        "is not a table name"},
                new String[] {"{\"schema\":{},\"payload\":[1,2]}", key, "op is ''"},
                new String[] {change("c", source, row), "id=1", "key is not JSON"},
                new String[] {change("c", source, row), "{}", "without a primary key"},
                new String[] {change("c", source, row), null, "without a primary key"},
                new String[] {"{\"op\":\"c\",\"after\":{", key, "value is not JSON"});
        Map<String, String> expected = new LinkedHashMap<>();
        for (String[] item : corpus) {
            String marker = "bad-change-" + UUID.randomUUID();
            // the marker travels in a header: some items have no key of their own to find them by
            Kafka.send(ORDER_CHANGES, item[1], item[0], "test-marker", marker);
            expected.put(marker, item[2]);
        }
        Kafka.sendBytes(ORDER_CHANGES, key, new byte[] {'{', '"', 'o', 'p', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'},
                "test-marker", "invalid UTF-8");
        expected.put("invalid UTF-8", "not a Debezium change event");

        // a valid change right behind, with SQL-looking text as data and Camel headers that try to redirect it
        String sqlText = "'; DROP TABLE orders; --";
        Kafka.send(ORDER_CHANGES, key, change("c", source, row.replace("\"pending\"", JSON.writeValueAsString(sqlText))),
                "CamelSqlQuery", "DELETE FROM cdc_current", "CamelElasticsearchIndexName", "evil-cdc-index",
                "kafka.OVERRIDE_TOPIC", "evil-topic");
        JsonNode doc = await().atMost(Duration.ofSeconds(60)).ignoreExceptions()
                .until(() -> Search.document("cdc-orders", String.valueOf(id)), d -> d != null);
        assertEquals(sqlText, doc.get("status").asText(), "data that looks like SQL is stored as text");

        Map<String, ConsumerRecord<String, String>> dead = awaitDeadLetters("test-marker",
                List.copyOf(expected.keySet()));
        for (var record : dead.entrySet()) {
            String reason = Kafka.header(record.getValue(), "dead-letter-reason");
            assertTrue(reason.contains(expected.get(record.getKey())), expected.get(record.getKey()) + ": " + reason);
            assertEquals(ORDER_CHANGES, Kafka.header(record.getValue(), "dead-letter-source-topic"));
        }
        System.out.println("bad change events: " + expected.size() + " sent, " + dead.size() + " dead-lettered");
        assertEquals(404, HTTP.send(HttpRequest.newBuilder(URI.create(property("hub.elasticsearch.url")
                + "/evil-cdc-index")).build(), HttpResponse.BodyHandlers.discarding()).statusCode(), "no index named by a header");
        assertTrue(camel().getRouteController().getRouteStatus("cdc-sync").isStarted());
    }

    @Test
    void garbageOnTheSagaReplyTopicsIsDeadLetteredAReplyForNoSagaIsCountedAndACheckoutBehindCompletes()
            throws Exception {
        String stranger = "no-such-order-" + UUID.randomUUID();
        // not a reply, each in its own way (%1$s: the topic's own step, %2$s: another participant's) -> the reason
        Map<String, String> shapes = Map.of(
                "{\"order_id\":\"" + stranger + "\",\"success\":\"yes\",\"step\":\"%1$s\"}", "without a boolean success",
                "{\"success\":true,\"step\":\"%1$s\"}", "without order_id",
                "{\"order_id\":{\"id\":1},\"success\":true,\"step\":\"%1$s\"}", "without order_id",
                "{\"order_id\":\"" + stranger + "\",\"success\":true,\"step\":\"teleport\"}", "step 'teleport'",
                "{\"order_id\":\"" + stranger + "\",\"success\":true,\"step\":\"%2$s\"}", "does not have",
                "{\"order_id\":\"" + stranger + "\",", "end-of-input");
        Map<String, String> steps = Map.of("inventory-replies", "reserve", "payment-replies", "charge",
                "shipment-replies", "ship");
        Map<String, String> others = Map.of("inventory-replies", "ship", "payment-replies", "reserve",
                "shipment-replies", "charge");
        double ignoredBefore = metric("hub_saga_replies_ignored_total");
        Map<String, String> expected = new LinkedHashMap<>();
        for (var topic : steps.entrySet()) {
            for (var shape : shapes.entrySet()) {
                String key = "bad-reply-" + UUID.randomUUID();
                Kafka.send(topic.getKey(), key, shape.getKey().formatted(topic.getValue(), others.get(topic.getKey())));
                expected.put(key, shape.getValue());
            }
            // well-formed, for a saga nobody runs: ignored and counted, not dead-lettered
            Kafka.send(topic.getKey(), stranger, "{\"order_id\":\"" + stranger + "\",\"success\":true,\"step\":\""
                    + topic.getValue() + "\"}");
        }

        // a checkout right behind the garbage completes
        String order = "bad-input-" + UUID.randomUUID();
        String sku = "BAD-INPUT-" + UUID.randomUUID();
        Database.execute("INSERT INTO inventory (sku, stock, reserved) VALUES ('" + sku + "', 5, 0)");
        HttpResponse<String> accepted = post("/api/checkout", ("{\"order_id\":\"" + order + "\",\"user_id\":1,"
                + "\"items\":[{\"sku\":\"" + sku + "\",\"qty\":1}],\"payment\":{\"card\":\"4111111111111111\","
                + "\"amount\":5},\"address\":\"1 Main St\"}").getBytes(StandardCharsets.UTF_8), "application/json");
        assertEquals(202, accepted.statusCode(), accepted.body());
        await().atMost(Duration.ofSeconds(120)).until(() -> JSON.readTree(
                HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/api/checkout/" + order))
                        .build(), HttpResponse.BodyHandlers.ofString()).body()).path("state").asText(), "COMPLETED"::equals);

        Map<String, ConsumerRecord<String, String>> dead = awaitDeadLetters(null, List.copyOf(expected.keySet()));
        for (var record : dead.entrySet()) {
            assertEquals("saga-replies", Kafka.header(record.getValue(), "dead-letter-route"));
            String reason = Kafka.header(record.getValue(), "dead-letter-reason");
            assertTrue(reason.contains(expected.get(record.getKey())), expected.get(record.getKey()) + ": " + reason);
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> metric("hub_saga_replies_ignored_total") >= ignoredBefore + 3);
        assertTrue(Kafka.readAll(property("hub.dead-letter.topic"), Duration.ofSeconds(1)).stream()
                .noneMatch(r -> stranger.equals(r.key())), "a well-formed reply for no saga is not dead-lettered");
        System.out.println("bad saga replies: " + expected.size() + " sent, " + dead.size() + " dead-lettered");
    }

    /**
     * The broker's default max.message.bytes (1 MiB) refuses a 2 MiB record at the producer, so it never reaches
     * a consumer. Where a topic is configured to take it, the consumer dead-letters it with its reason, and the
     * dead-letter record, cut to hub.dead-letter.max-body-bytes, is not refused in turn.
     */
    @Test
    void twoMebibyteRecordsAreRefusedAtTheProducerOrDeadLetteredCutWhereATopicTakesThem() throws Exception {
        byte[] big = corpus().get("2 MiB payload");
        String pipe = property("hub.pipe.topic");
        long before = Kafka.endOffsets(pipe);
        // the producer's own max.request.size (1 MiB), then the broker's limit for a producer that would send it
        for (Map<String, Object> producer : List.<Map<String, Object>>of(Map.of(),
                Map.of(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 4 << 20))) {
            ExecutionException refused = assertThrows(ExecutionException.class,
                    () -> Kafka.sendBytes(producer, pipe, "big-" + UUID.randomUUID(), big));
            assertTrue(refused.getCause() instanceof RecordTooLargeException, refused.toString());
        }
        assertEquals(before, Kafka.endOffsets(pipe), "nothing was appended, so nothing reached the hub");

        String events = property("hub.events.topic");
        String key = "big-" + UUID.randomUUID();
        Kafka.topicConfig(events, "max.message.bytes", String.valueOf(4 << 20));
        try {
            Kafka.sendBytes(Map.of(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 4 << 20), events, key, big);
        } finally {
            Kafka.topicConfig(events, "max.message.bytes", null);
        }
        String order = UUID.randomUUID().toString();
        Kafka.send(events, order, "{\"type\":\"OrderCreated\",\"aggregate_uuid\":\"" + order
                + "\",\"event_version\":2,\"sequence\":1,\"data\":{\"user_id\":1,\"total\":\"1.00\",\"currency\":\"EUR\"},"
                + "\"timestamp\":\"2026-11-29T10:00:00Z\"}", "event-type", "OrderCreated");

        ConsumerRecord<String, String> dead = awaitDeadLetters(null, List.of(key)).get(key);
        assertTrue(Kafka.header(dead, "dead-letter-reason").length() > 0);
        assertEquals(String.valueOf(big.length), Kafka.header(dead, "dead-letter-body-bytes"));
        assertEquals(Integer.parseInt(property("hub.dead-letter.max-body-bytes")),
                dead.value().getBytes(StandardCharsets.UTF_8).length, "the body is cut to the limit");
        await().atMost(Duration.ofSeconds(30))
                .until(() -> !Database.query("SELECT uuid FROM order_projection WHERE uuid = ?", order).isEmpty());
        System.out.println("2 MiB: refused by the producer twice; on a topic that takes it, dead-lettered ("
                + Kafka.header(dead, "dead-letter-reason") + "), body cut from " + big.length + " to "
                + dead.value().length() + " bytes");
    }

    /** A change event in Debezium's envelope; null parts are left out. */
    private static String change(String op, String source, String after) {
        return "{\"before\":null" + (after == null ? "" : ",\"after\":" + after) + (source == null ? "" : ",\"source\":" + source)
                + ",\"op\":" + (op == null ? "null" : "\"" + op + "\"") + ",\"ts_ms\":1700000000000}";
    }

    /**
     * The dead-letter records of {@code sent}, found by {@code header} (or by key when null), once all are there;
     * each at least once (a topic read by two groups dead-letters it once per group).
     */
    private static Map<String, ConsumerRecord<String, String>> awaitDeadLetters(String header, List<String> sent) {
        Map<String, ConsumerRecord<String, String>> dead = new LinkedHashMap<>();
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            Kafka.readAll(property("hub.dead-letter.topic"), Duration.ofSeconds(1)).forEach(r -> {
                String id = header == null ? r.key() : Kafka.header(r, header);
                if (id != null && sent.contains(id)) {
                    dead.put(id, r);
                }
            });
            return dead.keySet().containsAll(sent);
        });
        return dead;
    }

    /** null when the answer is a 4xx with a JSON {"error", "message"} body, else what is wrong with it */
    private static String clientError(HttpResponse<String> r) {
        if (r.statusCode() < 400 || r.statusCode() >= 500) {
            return "status " + r.statusCode() + " " + abbreviate(r.body());
        }
        try {
            JsonNode body = JSON.readTree(r.body());
            return body.hasNonNull("error") ? null : "no error field: " + abbreviate(r.body());
        } catch (Exception e) {
            return "not JSON: " + abbreviate(r.body());
        }
    }

    private static String abbreviate(String s) {
        return s.length() > 200 ? s.substring(0, 200) + "..." : s;
    }

    private static HttpResponse<String> post(String path, byte[] body, String contentType) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path))
                .timeout(Duration.ofSeconds(30)).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static long count(String table) throws Exception {
        return ((Number) Database.query("SELECT COUNT(*) AS n FROM " + table).get(0).get("n")).longValue();
    }
}
