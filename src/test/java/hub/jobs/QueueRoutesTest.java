package hub.jobs;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ConnectException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import hub.testing.Database;
import hub.testing.HubTestSupport;
import hub.testing.Kafka;
import org.apache.camel.builder.RouteBuilder;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The job queue end to end (kept out of package {@code routes}: its test handlers are route builders). */
class QueueRoutesTest extends HubTestSupport {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(60);
    /**
     * FlakyJob calls per job id; a FlakyJob first finds a dependency down for data.transient_times calls, then
     * fails for data.fail_times calls, then succeeds.
     */
    private static final Map<String, AtomicInteger> CALLS = new ConcurrentHashMap<>();

    @BeforeAll
    static void addTestHandlers() throws Exception {
        camel().addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:job-FlakyJob").routeId("job-FlakyJob").process(exchange -> {
                    String id = exchange.getIn().getHeader(JobHandlers.JOB_ID, String.class);
                    int call = CALLS.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
                    JsonNode data = exchange.getIn().getBody(JsonNode.class);
                    int down = data.path("transient_times").asInt();
                    if (call <= down) {
                        throw new ConnectException("dependency down " + call);
                    }
                    if (call - down <= data.path("fail_times").asInt()) {
                        throw new IllegalStateException("flaky failure " + call);
                    }
                });
                from("direct:job-SlowJob").routeId("job-SlowJob").delay(5000);
            }
        });
    }

    @Test
    void hubJobIsHandledOnceAndRecordedInSql() throws Exception {
        String id = UUID.randomUUID().toString();
        Kafka.send("orders", id, "{\"id\":\"" + id + "\",\"type\":\"ProcessOrderEvent\",\"data\":{\"order_id\":77}}");

        Map<String, Object> row = await().atMost(WAIT).until(() -> processed(id), r -> r != null);
        assertEquals("77", row.get("order_id"));
        assertEquals("orders", row.get("queue"));
        assertEquals(1, ledgerAttempts(id));
    }

    @Test
    void jobThatFailsTwiceThenSucceedsRunsThreeAttemptsWithItsBackoffAndRecordsOneSuccess() throws Exception {
        String id = UUID.randomUUID().toString();
        long sent = System.nanoTime();
        Kafka.send("default", id, flaky(id, 2, 3, "[1,2]"));

        await().atMost(WAIT).until(() -> ledgerAttempts(id) == 3);
        assertEquals(3, CALLS.get(id).get());
        assertTrue(System.nanoTime() - sent >= 3_000_000_000L, "waited 1 s then 2 s between attempts");
        assertTrue(failedRecords("default.failed", id).isEmpty());
    }

    @Test
    void aDependencyDownIsWaitedForWithoutSpendingTheJobsTries() throws Exception {
        String id = UUID.randomUUID().toString();
        // three transient faults (0.5, 1, 2 s of backoff), then one failure of the job itself: 2 of 2 tries
        Kafka.send("default", id, "{\"id\":\"" + id + "\",\"type\":\"FlakyJob\",\"data\":{\"transient_times\":3,"
                + "\"fail_times\":1},\"max_tries\":2,\"backoff\":0}");

        await().atMost(WAIT).until(() -> ledgerAttempts(id) == 2);
        assertEquals(5, CALLS.get(id).get());
        assertTrue(failedRecords("default.failed", id).isEmpty());
    }

    @Test
    void exhaustedJobLandsOnTheFailedTopicAndIsRetriedThroughTheApi() throws Exception {
        String id = UUID.randomUUID().toString();
        String payload = flaky(id, 2, 2, "0");
        Kafka.send("notifications", id, payload);

        ConsumerRecord<String, String> failed = await().atMost(WAIT)
                .until(() -> failedRecords("notifications.failed", id), r -> !r.isEmpty()).get(0);
        JsonNode record = JSON.readTree(failed.value());
        assertEquals("java.lang.IllegalStateException", record.get("exception_class").asText());
        assertEquals("flaky failure 2", record.get("exception").asText());
        assertEquals(2, record.get("attempts").asInt());
        assertEquals(payload, record.get("payload").asText());

        JsonNode listed = await().atMost(WAIT).until(() -> failedJob(id), f -> f != null);
        assertEquals("notifications", listed.get("queue").asText());

        HttpResponse<String> retried = api("POST", "/api/jobs/failed/" + id + "/retry", null);
        assertEquals(202, retried.statusCode(), retried.body());
        await().atMost(WAIT).until(() -> ledgerAttempts(id) == 1);
        assertEquals(3, CALLS.get(id).get(), "the third call, from the retry, succeeds");
        assertEquals(null, failedJob(id));
        assertEquals(404, api("POST", "/api/jobs/failed/" + id + "/retry", null).statusCode());
    }

    @Test
    void laravelPayloadIsDecodedAndHandled() throws Exception {
        String uuid = UUID.randomUUID().toString();
        String payload = LaravelPayloads.PROCESS_ORDER_EVENT.replace("9f1c2b7e-3d4a-4c8e-9b1f-2a6d5e7c8b90", uuid);
        Kafka.send("orders", null, payload);

        Map<String, Object> row = await().atMost(WAIT).until(() -> processed(uuid), r -> r != null);
        assertEquals("ProcessOrderEvent", row.get("job_type"));
        assertEquals("1042", row.get("order_id"));
        JsonNode order = JSON.readTree((String) row.get("data"));
        assertEquals("Zoë says: ship fast 🚚 / 速く", order.get("note").asText());
        assertEquals(149.99, order.get("total").asDouble());
        assertEquals("東京 mug 🍵", order.at("/items/1/name").asText());
        assertTrue(order.get("coupon").isNull());
        assertTrue(order.get("paid").asBoolean());
    }

    @Test
    void malformedJsonAndUnknownTypesGoToFailedJobsWhileTheConsumerKeepsGoing() throws Exception {
        String key = UUID.randomUUID().toString();
        String unknown = UUID.randomUUID().toString();
        String next = UUID.randomUUID().toString();
        Kafka.send("orders", key, "{\"id\": \"" + key + "\", not json");
        Kafka.send("orders", key, "{\"id\":\"" + unknown + "\",\"type\":\"LaunchRockets\",\"data\":{}}");
        Kafka.send("orders", key, "{\"id\":\"" + next + "\",\"type\":\"ProcessOrderEvent\",\"data\":{\"order_id\":1}}");

        await().atMost(WAIT).until(() -> processed(next) != null);
        JsonNode unknownFailure = JSON.readTree(await().atMost(WAIT)
                .until(() -> failedRecords("orders.failed", unknown), r -> !r.isEmpty()).get(0).value());
        assertEquals("unknown job type: LaunchRockets", unknownFailure.get("exception").asText());
        assertEquals(1, unknownFailure.get("attempts").asInt(), "no retries for what cannot succeed");

        List<ConsumerRecord<String, String>> all = Kafka.readAll("orders.failed", Duration.ofSeconds(2));
        JsonNode malformed = all.stream().map(r -> tree(r.value()))
                .filter(r -> r.get("payload").asText().contains(key) && r.get("exception").asText().startsWith("malformed JSON"))
                .findFirst().orElseThrow(() -> new AssertionError("no failed record for the malformed job"));
        assertEquals("hub.errors.PoisonMessageException", malformed.get("exception_class").asText());
        assertTrue(malformed.get("id").asText().startsWith("orders-"), "named by its position: " + malformed.get("id"));
    }

    @Test
    void duplicateDeliveryOfAJobIdRunsTheHandlerOnce() throws Exception {
        String id = UUID.randomUUID().toString();
        String job = flaky(id, 0, 1, "0");
        Kafka.send("default", id, job);
        Kafka.send("default", id, job);
        String marker = UUID.randomUUID().toString();
        Kafka.send("default", id, flaky(marker, 0, 1, "0"));

        await().atMost(WAIT).until(() -> ledgerAttempts(marker) == 1);
        assertEquals(1, CALLS.get(id).get());
    }

    @Test
    void attemptPastItsTimeoutCountsAsFailed() throws Exception {
        String id = UUID.randomUUID().toString();
        Kafka.send("default", id, "{\"id\":\"" + id + "\",\"type\":\"SlowJob\",\"data\":{},\"max_tries\":1,\"timeout\":1}");

        JsonNode failure = JSON.readTree(await().atMost(WAIT)
                .until(() -> failedRecords("default.failed", id), r -> !r.isEmpty()).get(0).value());
        assertEquals("hub.jobs.JobTimeoutException", failure.get("exception_class").asText());
        assertEquals(-1, ledgerAttempts(id));
    }

    @Test
    void apiDispatchesJobsAndRefusesBadOnesWithJsonErrors() throws Exception {
        HttpResponse<String> accepted = api("POST", "/api/jobs/orders",
                "{\"type\":\"ProcessOrderEvent\",\"data\":{\"order_id\":\"A-9\"}}");
        assertEquals(202, accepted.statusCode(), accepted.body());
        String id = JSON.readTree(accepted.body()).get("id").asText();
        await().atMost(WAIT).until(() -> processed(id) != null);

        HttpResponse<String> malformed = api("POST", "/api/jobs/orders", "{nope");
        assertEquals(400, malformed.statusCode());
        assertTrue(JSON.readTree(malformed.body()).get("message").asText().startsWith("malformed JSON"));
        HttpResponse<String> noType = api("POST", "/api/jobs/orders", "{\"data\":{}}");
        assertEquals(400, noType.statusCode());
        assertEquals("missing field: type", JSON.readTree(noType.body()).get("message").asText());
        HttpResponse<String> unknownType = api("POST", "/api/jobs/orders", "{\"type\":\"LaunchRockets\",\"data\":{}}");
        assertEquals(400, unknownType.statusCode());
        assertTrue(JSON.readTree(unknownType.body()).get("message").asText().startsWith("unknown job type: LaunchRockets"));
        HttpResponse<String> unknownQueue = api("POST", "/api/jobs/nowhere", "{\"type\":\"X\",\"data\":{}}");
        assertEquals(404, unknownQueue.statusCode());
        assertEquals("application/json", unknownQueue.headers().firstValue("Content-Type").orElse(""));
    }

    @Test
    void failedJobsCanBeForgottenAndRetriedAll() throws Exception {
        String forget = UUID.randomUUID().toString();
        String retry = UUID.randomUUID().toString();
        Kafka.send("default", forget, flaky(forget, 5, 1, "0"));
        Kafka.send("default", retry, flaky(retry, 1, 1, "0"));
        await().atMost(WAIT).until(() -> failedJob(forget) != null && failedJob(retry) != null);

        assertEquals(200, api("DELETE", "/api/jobs/failed/" + forget, null).statusCode());
        assertEquals(null, failedJob(forget));
        assertEquals(404, api("DELETE", "/api/jobs/failed/" + forget, null).statusCode());

        HttpResponse<String> all = api("POST", "/api/jobs/failed/retry-all", null);
        assertEquals(202, all.statusCode(), all.body());
        await().atMost(WAIT).until(() -> ledgerAttempts(retry) == 1);
    }

    @Test
    void theJobsApiIsDescribedInTheOpenApiDocument() throws Exception {
        HttpResponse<String> openapi = api("GET", "/api/openapi.json", null);
        assertEquals(200, openapi.statusCode(), openapi.body());
        JsonNode paths = JSON.readTree(openapi.body()).get("paths");
        assertTrue(paths.has("/api/jobs/{queue}") && paths.has("/api/jobs/failed/{id}/retry"), paths.toString());
    }

    @Test
    void queueMetricsArePublishedPerTopic() throws Exception {
        String id = UUID.randomUUID().toString();
        Kafka.send("orders", id, "{\"id\":\"" + id + "\",\"type\":\"ProcessOrderEvent\",\"data\":{\"order_id\":5}}");
        await().atMost(WAIT).until(() -> processed(id) != null);

        String metrics = get(managementPort, "/observe/metrics").body();
        assertTrue(metrics.contains("kafka_messages_processed_total{topic=\"orders\"}"), "processed counter");
        assertTrue(metrics.contains("kafka_message_processing_duration_seconds_bucket{topic=\"orders\""), "histogram");
    }

    private static String flaky(String id, int failTimes, int maxTries, String backoff) {
        return "{\"id\":\"" + id + "\",\"type\":\"FlakyJob\",\"data\":{\"fail_times\":" + failTimes + "},"
                + "\"max_tries\":" + maxTries + ",\"backoff\":" + backoff + "}";
    }

    private static Map<String, Object> processed(String id) throws Exception {
        List<Map<String, Object>> rows = Database.query("SELECT * FROM processed_jobs WHERE job_id = ?", id);
        return rows.isEmpty() ? null : rows.get(0);
    }

    private static int ledgerAttempts(String id) throws Exception {
        List<Map<String, Object>> rows = Database.query("SELECT attempts FROM job_ledger WHERE job_id = ?", id);
        return rows.isEmpty() ? -1 : ((Number) rows.get(0).get("attempts")).intValue();
    }

    private static List<ConsumerRecord<String, String>> failedRecords(String topic, String id) {
        return Kafka.readAll(topic, Duration.ofSeconds(1)).stream().filter(r -> id.equals(r.key())).toList();
    }

    private static JsonNode failedJob(String id) throws Exception {
        HttpResponse<String> list = api("GET", "/api/jobs/failed", null);
        assertEquals(200, list.statusCode(), list.body());
        for (JsonNode job : JSON.readTree(list.body())) {
            if (id.equals(job.get("id").asText())) {
                return job;
            }
        }
        return null;
    }

    private static JsonNode tree(String json) {
        try {
            return JSON.readTree(json);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
