package routes;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import com.arjuna.ats.arjuna.recovery.RecoveryManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import hub.saga.Checkout;
import hub.saga.Replies;
import hub.saga.SagaSteps;
import hub.saga.Step;
import hub.testing.Database;
import hub.testing.HubTestSupport;
import hub.testing.Kafka;
import hub.testing.SharedServices;
import org.apache.camel.Exchange;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.model.BeanDefinition;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The checkout saga against the real LRA coordinator, broker and database. */
@HubTestSupport.HubProperties("hub.saga.timeout-ms=20000")
class SagaRoutesTest extends HubTestSupport {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String CARD = "4111111111111111";
    private static final String DECLINED = "4000000000000002";

    @BeforeAll
    static void firstCheckoutCompletes() throws Exception {
        // the participants' and replies' consumers join their groups before the tests time steps
        String order = newOrder();
        String sku = newSku(5);
        assertEquals(202, checkout(order, sku, 1, CARD, "1 Main St").statusCode());
        await().atMost(Duration.ofSeconds(120)).until(() -> "COMPLETED".equals(state(order)));
    }

    @Test
    void aCheckoutCompletesEveryStepAndCommitsTheReservation() throws Exception {
        double completed = metric("hub_saga_outcomes_total", "state=\"COMPLETED\"");
        String order = newOrder();
        String sku = newSku(10);
        HttpResponse<String> accepted = checkout(order, sku, 2, CARD, "1 Main St");
        assertEquals(202, accepted.statusCode(), accepted.body());
        String sagaId = JSON.readTree(accepted.body()).get("saga_id").asText();
        assertTrue(sagaId.startsWith(SharedServices.properties().get("hub.lra.coordinator-url") + "/lra-coordinator/"),
                sagaId);

        JsonNode saga = awaitState(order, "COMPLETED");
        assertEquals(sagaId, saga.get("saga_id").asText());
        assertConfirmed(saga, sku, 8);
        await().atMost(WAIT).until(() -> metric("hub_saga_outcomes_total", "state=\"COMPLETED\"") == completed + 1);

        HttpResponse<String> again = checkout(order, sku, 2, CARD, "1 Main St");
        assertEquals(202, again.statusCode());
        assertEquals(sagaId, JSON.readTree(again.body()).get("saga_id").asText(), "a repeated POST keeps its saga");
        assertEquals(List.of(8, 0), inventory(sku));
    }

    @Test
    void aDeclinedPaymentReleasesTheStock() throws Exception {
        double compensated = metric("hub_saga_outcomes_total", "state=\"COMPENSATED\"");
        String order = newOrder();
        String sku = newSku(10);
        assertEquals(202, checkout(order, sku, 3, DECLINED, "1 Main St").statusCode());

        JsonNode saga = awaitState(order, "COMPENSATED");
        assertEquals(List.of("inventory:COMPENSATED", "payment:FAILED"), steps(saga));
        assertEquals("card declined", saga.at("/steps/1/reason").asText());
        assertTrue(saga.get("reason").asText().contains("card declined"), saga.toString());
        await().atMost(WAIT).until(() -> inventory(sku).equals(List.of(10, 0)));
        assertEquals("RELEASED", status("inventory_reservations", order));
        assertEquals("DECLINED", status("payments", order));
        assertEquals(null, status("shipments", order), "no shipment was asked for");
        await().atMost(WAIT).until(() -> metric("hub_saga_outcomes_total", "state=\"COMPENSATED\"") == compensated + 1);
    }

    @Test
    void aFailedShipmentRefundsThePaymentAndReleasesTheStock() throws Exception {
        String order = newOrder();
        String sku = newSku(10);
        assertEquals(202, checkout(order, sku, 4, CARD, "Road to nowhere 7").statusCode());

        JsonNode saga = awaitState(order, "COMPENSATED");
        assertEquals(List.of("inventory:COMPENSATED", "payment:COMPENSATED", "shipment:FAILED"), steps(saga));
        await().atMost(WAIT).until(() -> inventory(sku).equals(List.of(10, 0)));
        assertEquals("REFUNDED", status("payments", order));
        assertEquals("FAILED", status("shipments", order));
    }

    @Test
    void aStepThatTimesOutIsCompensatedAndItsLateActionUndone() throws Exception {
        String order = newOrder();
        String sku = newSku(10);
        camel().getRouteController().stopRoute("participant-shipment");
        try {
            assertEquals(202, checkout(order, sku, 1, CARD, "1 Main St").statusCode());
            await().atMost(WAIT).until(() -> {
                JsonNode saga = view(order);
                return saga != null && steps(saga).contains("shipment:TIMED_OUT");
            });
        } finally {
            // the shipment service comes back and finds the ship command, then the cancel command
            camel().getRouteController().startRoute("participant-shipment");
        }
        JsonNode saga = awaitState(order, "COMPENSATED");
        assertTrue(saga.get("reason").asText().contains("did not answer within 4000 ms"), saga.toString());
        assertEquals(List.of("inventory:COMPENSATED", "payment:COMPENSATED", "shipment:COMPENSATED"), steps(saga));
        await().atMost(WAIT).until(() -> inventory(sku).equals(List.of(10, 0)));
        assertEquals("REFUNDED", status("payments", order));
        await().atMost(WAIT).until(() -> "CANCELLED".equals(status("shipments", order)));
    }

    @Test
    void aCompletionThatFailsIsRetriedByTheCoordinatorAndNothingIsCompensated() throws Exception {
        String order = newOrder();
        String sku = newSku(10);
        // the inventory's commit callback fails once for this order, as when the hub is down or busy when
        // the coordinator calls it: the coordinator keeps the participant and calls it again on recovery
        AtomicInteger commits = new AtomicInteger();
        AdviceWith.adviceWith(camel(), Step.INVENTORY.completionRoute(), route -> route.weaveAddFirst().process(e -> {
            String saga = e.getIn().getHeader(Exchange.SAGA_LONG_RUNNING_ACTION, String.class);
            if (!Database.query("SELECT 1 FROM checkout_sagas WHERE saga_id = ? AND order_id = ?", saga, order).isEmpty()
                    && commits.incrementAndGet() == 1) {
                throw new IllegalStateException("commit callback failed once (test)");
            }
        }));
        assertEquals(202, checkout(order, sku, 2, CARD, "1 Main St").statusCode());

        await().atMost(WAIT).until(() -> "COMMITTED".equals(status("inventory_reservations", order)));
        assertTrue(commits.get() >= 2, "the coordinator called the commit again: " + commits.get());
        assertConfirmed(awaitState(order, "COMPLETED"), sku, 8);
    }

    @Test
    void aCompletedSagaStaysCompletedWhenTheCoordinatorsRecoveredCopyCancelsItAtTheTimeLimit() throws Exception {
        String order = newOrder();
        String sku = newSku(10);
        double ignored = metric("hub_saga_compensations_ignored_total", "step=\"payment\"");
        // a recovery pass runs while the saga is in flight, as the coordinator's periodic one may at any time;
        // it restores the running LRA and arms the time limit on that copy
        AdviceWith.adviceWith(camel(), Step.SHIPMENT.stepRoute(), route -> route.weaveByType(BeanDefinition.class).before().process(e -> {
            Checkout checkout = e.getProperty(SagaSteps.CHECKOUT, Checkout.class);
            if (checkout != null && order.equals(checkout.orderId())) {
                RecoveryManager.manager().scan();
            }
        }));
        assertEquals(202, checkout(order, sku, 2, CARD, "1 Main St").statusCode());
        awaitState(order, "COMPLETED");

        // at the saga's time limit (20 s in this class) the copy cancels the long closed LRA
        await().atMost(WAIT).until(() -> metric("hub_saga_compensations_ignored_total", "step=\"payment\"") > ignored);
        JsonNode saga = view(order);
        assertEquals("COMPLETED", saga.get("state").asText());
        assertConfirmed(saga, sku, 8);
    }

    @Test
    void duplicateRepliesAndCommandsChangeNothing() throws Exception {
        String order = newOrder();
        String sku = newSku(10);
        assertEquals(202, checkout(order, sku, 2, CARD, "1 Main St").statusCode());
        awaitState(order, "COMPLETED");
        Replies replies = camel().getRegistry().lookupByNameAndType("replies", Replies.class);
        long ignoredBefore = replies.ignored();

        // a reply seen twice, and a contradicting one: the saga took its answer already
        for (String topic : List.of("inventory-replies", "payment-replies", "shipment-replies")) {
            String step = Map.of("inventory-replies", "reserve", "payment-replies", "charge",
                    "shipment-replies", "ship").get(topic);
            Kafka.send(topic, order, "{\"order_id\":\"" + order + "\",\"success\":true,\"step\":\"" + step + "\"}");
            Kafka.send(topic, order, "{\"order_id\":\"" + order + "\",\"success\":false,\"step\":\"" + step
                    + "\",\"reason\":\"late\"}");
        }
        // a redelivered reserve command does not reserve twice
        Kafka.send("inventory-commands", order, "{\"order_id\":\"" + order + "\",\"type\":\"reserve\",\"items\":[{\"sku\":\""
                + sku + "\",\"qty\":2}]}");
        await().atMost(WAIT).until(() -> replies.ignored() >= ignoredBefore + 7);

        JsonNode saga = view(order);
        assertEquals("COMPLETED", saga.get("state").asText());
        assertEquals(List.of("inventory:DONE", "payment:DONE", "shipment:DONE"), steps(saga));
        assertEquals(List.of(8, 0), inventory(sku));
        assertEquals("CHARGED", status("payments", order));
    }

    @Test
    void invalidCheckoutsAnswer400AndUnknownOrders404() throws Exception {
        HttpResponse<String> invalid = api("POST", "/api/checkout", "{\"order_id\":\"x\",\"user_id\":1,\"items\":[],"
                + "\"payment\":{\"card\":\"" + CARD + "\",\"amount\":5},\"address\":\"a\"}");
        assertEquals(400, invalid.statusCode(), invalid.body());
        assertTrue(JSON.readTree(invalid.body()).get("message").asText().startsWith("items"));
        assertEquals(400, api("POST", "/api/checkout", "{\"order_id\":").statusCode());
        assertEquals(404, api("GET", "/api/checkout/" + newOrder(), null).statusCode());
    }

    /** Every step of a completed saga holds: stock taken (left at {@code stock}), charged, shipped. */
    private static void assertConfirmed(JsonNode saga, String sku, int stock) throws Exception {
        String order = saga.get("order_id").asText();
        assertEquals(List.of("inventory:DONE", "payment:DONE", "shipment:DONE"), steps(saga));
        assertEquals(List.of(stock, 0), inventory(sku), "stock taken, nothing left reserved");
        assertEquals("COMMITTED", status("inventory_reservations", order));
        assertEquals("CHARGED", status("payments", order));
        assertEquals("CREATED", status("shipments", order));
    }

    private static HttpResponse<String> checkout(String order, String sku, int qty, String card, String address)
            throws Exception {
        return api("POST", "/api/checkout", "{\"order_id\":\"" + order + "\",\"user_id\":7,\"items\":[{\"sku\":\""
                + sku + "\",\"qty\":" + qty + "}],\"payment\":{\"card\":\"" + card + "\",\"amount\":19.90},"
                + "\"address\":\"" + address + "\"}");
    }

    private static String newOrder() {
        return "order-" + UUID.randomUUID();
    }

    /** A sku of its own with {@code stock} items and nothing reserved. */
    private static String newSku(int stock) throws Exception {
        String sku = "SKU-" + UUID.randomUUID().toString().substring(0, 13);
        Database.update("INSERT INTO inventory (sku, stock, reserved) VALUES (?, ?, 0)", sku, stock);
        return sku;
    }

    private static JsonNode view(String order) throws Exception {
        HttpResponse<String> r = api("GET", "/api/checkout/" + order, null);
        return r.statusCode() == 200 ? JSON.readTree(r.body()) : null;
    }

    private static String state(String order) throws Exception {
        JsonNode saga = view(order);
        return saga == null ? null : saga.get("state").asText();
    }

    private static JsonNode awaitState(String order, String state) throws Exception {
        await().atMost(WAIT).until(() -> state.equals(state(order)));
        return view(order);
    }

    private static List<String> steps(JsonNode saga) {
        List<String> steps = new java.util.ArrayList<>();
        saga.get("steps").forEach(s -> steps.add(s.get("step").asText() + ":" + s.get("status").asText()));
        return steps;
    }

    /** [stock, reserved] of a sku. */
    private static List<Integer> inventory(String sku) throws Exception {
        Map<String, Object> row = Database.query("SELECT stock, reserved FROM inventory WHERE sku = ?", sku).get(0);
        return List.of(((Number) row.get("stock")).intValue(), ((Number) row.get("reserved")).intValue());
    }

    private static String status(String table, String order) throws Exception {
        List<Map<String, Object>> rows = Database.query("SELECT status FROM " + table + " WHERE order_id = ?", order);
        return rows.isEmpty() ? null : (String) rows.get(0).get("status");
    }
}
