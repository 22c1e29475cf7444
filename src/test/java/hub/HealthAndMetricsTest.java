package hub;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import hub.testing.Database;
import hub.testing.HubTestSupport;
import hub.testing.Kafka;
import hub.testing.Search;
import hub.testing.SharedServices;
import org.junit.jupiter.api.Test;

class HealthAndMetricsTest extends HubTestSupport {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void healthIsUpAndNamesEveryDependency() throws Exception {
        HttpResponse<String> response = awaitManagement("/observe/health", 200, Duration.ofSeconds(30));
        JsonNode health = JSON.readTree(response.body());
        assertEquals("UP", health.get("status").asText());
        for (String dependency : List.of("kafka", "database", "elasticsearch", "lra-coordinator")) {
            assertEquals("UP", check(health, dependency).get("status").asText(), dependency);
        }
    }

    @Test
    void readinessGoesDownNamingElasticsearchWhileLivenessStaysUpAndMessagesWaitInsteadOfDeadLettering() throws Exception {
        String id = UUID.randomUUID().toString();
        SharedServices.elasticsearch().stop();
        try {
            HttpResponse<String> down = awaitManagement("/observe/health/ready", 503, Duration.ofSeconds(30));
            JsonNode es = check(JSON.readTree(down.body()), "elasticsearch");
            assertEquals("DOWN", es.get("status").asText());
            assertTrue(es.get("message").asText().startsWith("Elasticsearch unavailable"), es.toString());
            // a dependency down makes the hub unready, not dead: no restart loop while it waits
            assertEquals(200, get(managementPort, "/observe/health/live").statusCode());

            // a transient fault: the row is written, the index write is retried with backoff
            Kafka.send(property("hub.pipe.topic"), id, "{\"id\":\"" + id + "\"}");
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> !Database.query("SELECT id FROM pipe_messages WHERE id = ?", id).isEmpty());
        } finally {
            SharedServices.elasticsearch().start();
            SharedServices.elasticsearch().awaitReady(Duration.ofSeconds(120));
        }
        awaitManagement("/observe/health", 200, Duration.ofSeconds(30));
        await().atMost(Duration.ofSeconds(60)).until(() -> Search.document("pipe-messages", id) != null);
        assertTrue(Kafka.readAll(property("hub.dead-letter.topic"), Duration.ofSeconds(2)).stream()
                .noneMatch(r -> id.equals(r.key())), "a transient fault must not dead-letter");
    }

    @Test
    void routeTopicAndDeadLetterMetricsMoveWithTraffic() throws Exception {
        String route = "routeId=\"pipe-kafka-to-sql-and-search\"";
        String topic = property("hub.pipe.topic");
        double exchanges = metric("camel_exchanges_total", route);
        double timed = metric("camel_route_policy_seconds_bucket", route, "le=\"+Inf\"");
        // Kafka's consumer metrics name the topic with dots as underscores
        double consumed = metric("kafka_records_total", "direction=\"consumed\"", "topic=\"" + topic.replace('.', '_') + "\"");
        double deadLettered = metric("hub_dead_letter_messages_total", "source_topic=\"" + topic + "\"");

        String id = UUID.randomUUID().toString();
        Kafka.send(topic, id, "{\"id\":\"" + id + "\"}");
        Kafka.send(topic, "poison", "{not json");
        await().atMost(Duration.ofSeconds(60))
                .until(() -> !Database.query("SELECT id FROM pipe_messages WHERE id = ?", id).isEmpty());

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertTrue(metric("camel_exchanges_total", route) >= exchanges + 2, "per-route exchange counter");
            assertTrue(metric("camel_route_policy_seconds_bucket", route, "le=\"+Inf\"") >= timed + 2,
                    "per-route duration histogram");
            assertTrue(metric("kafka_records_total", "direction=\"consumed\"",
                    "topic=\"" + topic.replace('.', '_') + "\"") >= consumed + 2, "records consumed per topic");
            assertEquals(deadLettered + 1, metric("hub_dead_letter_messages_total", "source_topic=\"" + topic + "\""),
                    "dead letters per source topic");
            assertTrue(get(managementPort, "/observe/metrics").body().lines().anyMatch(l -> l.contains(route)
                    && l.startsWith("camel_route_policy_seconds_bucket{") && l.contains("le=\"0.005\"")), "5 ms bucket");
            assertTrue(metric("kafka_records_total", "direction=\"produced\"",
                    "topic=\"" + property("hub.dead-letter.topic") + "\"") >= 1, "records produced per topic");
        });
    }

    @Test
    void consumerLagIsAGaugePerGroupAndPartitionThatMovesWithTraffic() throws Exception {
        String group = property("hub.events.projector-group");
        String topic = property("hub.events.topic");
        camel().getRouteController().stopRoute("events-project-orders");
        try {
            for (int i = 0; i < 5; i++) {
                String uuid = UUID.randomUUID().toString();
                Kafka.send(topic, uuid, "{\"type\":\"OrderCreated\",\"aggregate_uuid\":\"" + uuid + "\",\"data\":{\"user_id\":1,"
                        + "\"total\":\"1.00\",\"currency\":\"EUR\"},\"timestamp\":\"2026-11-29T10:00:00Z\",\"event_version\":2,\"sequence\":1}");
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> metric("kafka_consumer_lag", "group=\"" + group + "\"", "topic=\"" + topic + "\"") >= 5);
        } finally {
            camel().getRouteController().startRoute("events-project-orders");
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> metric("kafka_consumer_lag", "group=\"" + group + "\"", "topic=\"" + topic + "\"") == 0);
    }

    @Test
    void managementIsBoundToLoopbackByDefault() {
        assertEquals("127.0.0.1", property("camel.management.host"));
    }

    private static JsonNode check(JsonNode health, String name) {
        for (JsonNode c : health.get("checks")) {
            if (name.equals(c.get("name").asText())) {
                return c;
            }
        }
        throw new AssertionError("no health check " + name + " in " + health);
    }
}
