package hub.saga;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import hub.Hub;
import hub.dev.Ports;
import hub.testing.Database;
import hub.testing.SharedServices;
import org.apache.camel.health.HealthCheckHelper;
import org.apache.camel.main.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** With LRA switched off the saga runs on Camel's in-memory saga service, and health says so. */
@ExtendWith(SharedServices.class)
class InMemorySagaTest {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void withoutACoordinatorSagasRunInMemoryAndHealthWarns() throws Exception {
        int http = Ports.free();
        int management = Ports.free();
        Map<String, String> overrides = new HashMap<>(SharedServices.properties());
        overrides.put("camel.server.port", String.valueOf(http));
        overrides.put("camel.management.port", String.valueOf(management));
        overrides.put("camel.lra.enabled", "false");
        Main hub = Hub.newMain(overrides);
        hub.start();
        try {
            String sku = "MEM-" + UUID.randomUUID().toString().substring(0, 8);
            Database.update("INSERT INTO inventory (sku, stock, reserved) VALUES (?, 5, 0)", sku);
            String completed = "mem-" + UUID.randomUUID();
            String declined = "mem-" + UUID.randomUUID();
            assertEquals(202, checkout(http, completed, sku, "4111111111111111").statusCode());
            assertEquals(202, checkout(http, declined, sku, "4000000000000002").statusCode());
            await().atMost(Duration.ofSeconds(90)).until(() -> get(http, "/api/checkout/" + completed).contains("\"COMPLETED\"")
                    && get(http, "/api/checkout/" + declined).contains("\"COMPENSATED\""));
            await().atMost(Duration.ofSeconds(30)).until(() -> Database.query(
                    "SELECT stock, reserved FROM inventory WHERE sku = ?", sku).get(0).values().stream()
                    .map(v -> ((Number) v).intValue()).toList().equals(List.of(4, 0)));

            var sagaService = HealthCheckHelper.invoke(hub.getCamelContext()).stream()
                    .filter(r -> r.getCheck().getId().equals("saga-service")).findFirst().orElseThrow();
            assertEquals("in-memory", sagaService.getDetails().get("saga.service"));
            assertTrue(String.valueOf(sagaService.getDetails().get("warning")).contains("no LRA coordinator configured"));
            String health = get(management, "/observe/health");
            assertTrue(health.contains("saga-service"), health);
            assertFalse(health.contains("lra-coordinator"), "no coordinator readiness check without a coordinator");
        } finally {
            hub.stop();
        }
    }

    private static HttpResponse<String> checkout(int port, String order, String sku, String card) throws Exception {
        String body = "{\"order_id\":\"" + order + "\",\"user_id\":1,\"items\":[{\"sku\":\"" + sku + "\",\"qty\":1}],"
                + "\"payment\":{\"card\":\"" + card + "\",\"amount\":3},\"address\":\"1 Main St\"}";
        HttpRequest post = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/checkout"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build();
        return await().atMost(Duration.ofSeconds(60)).ignoreExceptions()
                .until(() -> HTTP.send(post, HttpResponse.BodyHandlers.ofString()), r -> r.statusCode() != 404);
    }

    private static String get(int port, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }
}
