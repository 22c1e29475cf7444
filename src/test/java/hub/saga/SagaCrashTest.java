package hub.saga;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import hub.testing.Database;
import hub.testing.HubProcess;
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

    @TempDir
    Path dir;

    @Test
    void sagasOfAKilledHubAreCompensatedAfterItsRestart() throws Exception {
        String sku = "CRASH-" + UUID.randomUUID().toString().substring(0, 8);
        Map<String, String> env = HubProcess.environment("saga-crash-test");
        // the coordinator cancels a saga 30 s after it began unless the hub ended it
        env.put("HUB_SAGA_TIMEOUT_MS", "30000");
        env.put("HUB_SAGA_STEP_TIMEOUT_MS", "120000");
        Map<String, String> paymentSilent = new HashMap<>(env);
        // the payment service does not answer this hub: its sagas wait in the payment step
        paymentSilent.put("HUB_SAGA_PARTICIPANTS", "inventory,shipment");
        List<String> orders = new ArrayList<>();
        try (HubProcess first = HubProcess.start(paymentSilent, dir.resolve("first.log"))) {
            first.awaitHealthy(Duration.ofSeconds(90));
            Database.update("INSERT INTO inventory (sku, stock, reserved) VALUES (?, 20, 0)", sku);
            for (int i = 0; i < 3; i++) {
                String order = "crash-" + UUID.randomUUID();
                orders.add(order);
                HttpResponse<String> accepted = first.post("/api/checkout", "{\"order_id\":\"" + order + "\",\"user_id\":3,"
                        + "\"items\":[{\"sku\":\"" + sku + "\",\"qty\":2}],\"payment\":{\"card\":\"4111111111111111\","
                        + "\"amount\":10},\"address\":\"1 Main St\"}");
                assertEquals(202, accepted.statusCode(), accepted.body());
            }
            await().atMost(Duration.ofSeconds(60)).until(() -> reserved(sku) == 6);
            first.kill();
        }
        assertEquals(List.of(14, 6), inventory(sku), "the dead hub left its reservations behind");

        try (HubProcess second = HubProcess.start(env, dir.resolve("second.log"))) {
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
                throw new AssertionError("saga not recovered; second hub's log:\n" + second.log(), e);
            }
        }
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
