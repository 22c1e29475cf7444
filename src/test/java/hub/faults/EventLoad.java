package hub.faults;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import hub.testing.Database;

/**
 * Strategy 2: orders appended through the API, each as OrderCreated, OrderPaid, OrderShipped. An append whose
 * answer was lost is sent again with the same expected sequence: 201 says it had not been stored, 409 that it
 * had (this load is the order's only writer), so the number of events each order has is known exactly.
 */
final class EventLoad extends Load {

    private static final List<String> EVENTS = List.of(
            "{\"expected_sequence\":0,\"type\":\"OrderCreated\",\"data\":{\"user_id\":1,\"total\":\"10.00\",\"currency\":\"EUR\"}}",
            "{\"expected_sequence\":1,\"type\":\"OrderPaid\",\"data\":{\"payment_id\":\"p\"}}",
            "{\"expected_sequence\":2,\"type\":\"OrderShipped\",\"data\":{\"carrier\":\"c\"}}");
    private static final List<String> STATUS = List.of("pending", "paid", "shipped");

    /** order uuid → events stored */
    private final Map<String, Integer> stored = new ConcurrentHashMap<>();

    EventLoad(Hubs hubs, int orders) {
        super("events", hubs, orders);
    }

    @Override
    protected boolean send(int i) throws Exception {
        String uuid = UUID.randomUUID().toString();
        for (int sequence = 0; sequence < EVENTS.size(); sequence++) {
            long lostBefore = uncertain.get();
            HttpResponse<String> answer = post("/api/aggregates/orders/" + uuid + "/events", EVENTS.get(sequence), true);
            if (answer == null) {
                return false;
            }
            boolean resent = uncertain.get() > lostBefore;
            if (answer.statusCode() != 201 && !(answer.statusCode() == 409 && resent)) {
                throw new AssertionError("append " + sequence + " of " + uuid + ": " + answer.statusCode() + " "
                        + answer.body());
            }
            stored.put(uuid, sequence + 1);
        }
        return true;
    }

    Accounting account(String fault) throws Exception {
        long sent = stored.values().stream().mapToLong(Integer::longValue).sum();
        String in = String.join(",", stored.keySet().stream().map(u -> "?").toList());
        Object[] uuids = stored.keySet().toArray();
        Map<String, Map<String, Object>> store = byUuid(Database.query("SELECT aggregate_uuid AS uuid, COUNT(*) AS events,"
                + " MIN(sequence) AS first, MAX(sequence) AS last FROM order_events WHERE aggregate_uuid IN (" + in + ")"
                + " GROUP BY aggregate_uuid", uuids));
        Map<String, Map<String, Object>> projection = byUuid(Database.query("SELECT uuid, status, version"
                + " FROM order_projection WHERE uuid IN (" + in + ")", uuids));
        long once = 0;
        long lost = 0;
        long doubled = 0;
        for (Map.Entry<String, Integer> order : stored.entrySet()) {
            int expected = order.getValue();
            Map<String, Object> events = store.getOrDefault(order.getKey(), Map.of("events", 0, "first", 0, "last", 0));
            Map<String, Object> projected = projection.getOrDefault(order.getKey(), Map.of("status", "", "version", 0));
            int count = ((Number) events.get("events")).intValue();
            int version = ((Number) projected.get("version")).intValue();
            boolean contiguous = ((Number) events.get("first")).intValue() == 1
                    && ((Number) events.get("last")).intValue() == count;
            if (count == expected && contiguous && version == expected
                    && STATUS.get(expected - 1).equals(projected.get("status"))) {
                once += expected;
            } else {
                lost += Math.max(0, expected - Math.min(count, version));
                doubled += Math.max(0, Math.max(count, version) - expected);
            }
        }
        return new Accounting(fault, "event-sourcing", "events on " + stored.size() + " orders", sent,
                "stored and projected", once, lost, doubled,
                uncertain.get() + " appends whose answer died with the hub were resolved by their sequence");
    }

    private static Map<String, Map<String, Object>> byUuid(List<Map<String, Object>> rows) {
        Map<String, Map<String, Object>> byUuid = new java.util.HashMap<>();
        rows.forEach(r -> byUuid.put((String) r.get("uuid"), r));
        return byUuid;
    }
}
