package hub.saga;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import hub.Application;
import hub.dev.Ports;
import hub.testing.Database;
import hub.testing.SharedServices;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A hub killed (SIGKILL) in the middle of its sagas: the coordinator's time limit cancels them, and once a
 * hub answers again on the participant URL their compensations run, so no stock stays reserved and no
 * payment stays charged.
 */
@ExtendWith(SharedServices.class)
class SagaCrashTest {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    Path dir;

    @Test
    void sagasOfAKilledHubAreCompensatedAfterItsRestart() throws Exception {
        String sku = "CRASH-" + UUID.randomUUID().toString().substring(0, 8);
        int http = Ports.free();
        Map<String, String> env = environment(http);
        // the payment service does not answer this hub: its sagas wait in the payment step
        env.put("HUB_SAGA_PARTICIPANTS", "inventory,shipment");
        env.put("HUB_SAGA_STEP_TIMEOUT_MS", "120000");
        Process first = start(env, dir.resolve("first.log"));
        List<String> orders = new ArrayList<>();
        try {
            awaitHealthy(env, dir.resolve("first.log"));
            Database.update("INSERT INTO inventory (sku, stock, reserved) VALUES (?, 20, 0)", sku);
            for (int i = 0; i < 3; i++) {
                String order = "crash-" + UUID.randomUUID();
                orders.add(order);
                HttpResponse<String> accepted = post(http, "/api/checkout", "{\"order_id\":\"" + order + "\",\"user_id\":3,"
                        + "\"items\":[{\"sku\":\"" + sku + "\",\"qty\":2}],\"payment\":{\"card\":\"4111111111111111\","
                        + "\"amount\":10},\"address\":\"1 Main St\"}");
                assertEquals(202, accepted.statusCode(), accepted.body());
            }
            await().atMost(Duration.ofSeconds(60)).until(() -> reserved(sku) == 6);
        } finally {
            first.destroyForcibly();  // SIGKILL: no shutdown hook, nothing cleaned up
            assertTrue(first.waitFor(30, TimeUnit.SECONDS));
        }
        assertEquals(List.of(14, 6), inventory(sku), "the dead hub left its reservations behind");

        Process second = start(environment(http), dir.resolve("second.log"));
        try {
            await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofSeconds(2))
                    .until(() -> inventory(sku).equals(List.of(20, 0)));
            for (String order : orders) {
                await().atMost(Duration.ofSeconds(60)).until(() -> "COMPENSATED".equals(sagaState(order)));
                String payment = paymentStatus(order);
                assertTrue(payment == null || payment.equals("REFUNDED") || payment.equals("VOIDED"),
                        order + " payment " + payment);
            }
        } catch (AssertionError | RuntimeException e) {
            throw new AssertionError("saga not recovered; second hub's log:\n" + Files.readString(dir.resolve("second.log")), e);
        } finally {
            second.destroy();
            second.waitFor(60, TimeUnit.SECONDS);
            second.destroyForcibly();
        }
    }

    private static Map<String, String> environment(int http) {
        Map<String, String> services = SharedServices.properties();
        Map<String, String> env = new HashMap<>(Map.of(
                "HUB_EMBEDDED", "false",
                "KAFKA_BROKERS", services.get("hub.kafka.brokers"),
                "KAFKA_CONSUMER_GROUP_ID", "saga-crash-test",
                "DB_URL", services.get("hub.db.url"),
                "DB_USERNAME", services.get("hub.db.username"),
                "ELASTICSEARCH_URL", services.get("hub.elasticsearch.url"),
                "LRA_COORDINATOR_URL", services.get("hub.lra.coordinator-url"),
                "HUB_HTTP_PORT", String.valueOf(http)));
        env.put("HUB_MANAGEMENT_PORT", String.valueOf(Ports.free()));
        // the coordinator cancels a saga 30 s after it began unless the hub ended it
        env.put("HUB_SAGA_TIMEOUT_MS", "30000");
        // the saga is under test: no binlog reader or warehouse in this process
        env.put("CDC_ENABLED", "false");
        return env;
    }

    private static Process start(Map<String, String> env, Path log) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-cp", System.getProperty("java.class.path"), Application.class.getName())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().putAll(env);
        return builder.start();
    }

    private static void awaitHealthy(Map<String, String> env, Path log) throws Exception {
        HttpRequest health = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + env.get("HUB_MANAGEMENT_PORT")
                + "/observe/health")).timeout(Duration.ofSeconds(10)).build();
        try {
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1)).ignoreExceptions()
                    .until(() -> HTTP.send(health, HttpResponse.BodyHandlers.ofString()).body().contains("\"status\":\"UP\""));
            // the REST API is bound once the checkout route answers for an unknown order
            HttpRequest unknown = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + env.get("HUB_HTTP_PORT")
                    + "/api/checkout/none")).timeout(Duration.ofSeconds(10)).build();
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                    .until(() -> HTTP.send(unknown, HttpResponse.BodyHandlers.ofString()).body().contains("not_found"));
        } catch (RuntimeException | AssertionError e) {
            throw new AssertionError("hub not healthy; its log:\n" + Files.readString(log), e);
        }
    }

    private static HttpResponse<String> post(int port, String path, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Content-Type", "application/json").timeout(Duration.ofSeconds(20))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static List<Integer> inventory(String sku) throws Exception {
        Map<String, Object> row = Database.query("SELECT stock, reserved FROM inventory WHERE sku = ?", sku).get(0);
        return List.of(((Number) row.get("stock")).intValue(), ((Number) row.get("reserved")).intValue());
    }

    private static int reserved(String sku) throws Exception {
        return inventory(sku).get(1);
    }

    private static String sagaState(String order) throws Exception {
        List<Map<String, Object>> rows = Database.query("SELECT state FROM checkout_sagas WHERE order_id = ?", order);
        return rows.isEmpty() ? null : (String) rows.get(0).get("state");
    }

    private static String paymentStatus(String order) throws Exception {
        List<Map<String, Object>> rows = Database.query("SELECT status FROM payments WHERE order_id = ?", order);
        return rows.isEmpty() ? null : (String) rows.get(0).get("status");
    }
}
