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

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import hub.testing.Database;
import hub.testing.HubTestSupport;
import hub.testing.Kafka;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * A corpus of bad input against every REST endpoint that takes a body and the topics whose consumers read
 * outside input: each item gets a 4xx with a JSON error, or a dead-letter record with its reason, and valid
 * input sent right behind it is handled as usual.
 */
class BadInputTest extends HubTestSupport {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String BIG = "x".repeat(2 * 1024 * 1024);

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
                "inventory-commands", "participant-inventory");
        int failedJobsBefore = Kafka.readAll("default.failed", Duration.ofSeconds(1)).size();
        int badJobs = 0;
        Map<String, String> sentKeys = new LinkedHashMap<>();
        for (String topic : topics.keySet()) {
            for (var item : corpus().entrySet()) {
                if (item.getKey().equals("2 MiB payload")) {
                    continue; // the broker refuses records over its 1 MiB default before any consumer sees them
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
        Map<String, ConsumerRecord<String, String>> dead = new LinkedHashMap<>();
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            Kafka.readAll(property("hub.dead-letter.topic"), Duration.ofSeconds(1)).stream()
                    .filter(r -> sentKeys.containsKey(r.key())).forEach(r -> dead.put(r.key(), r));
            return dead.keySet().containsAll(sentKeys.keySet());
        });
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
