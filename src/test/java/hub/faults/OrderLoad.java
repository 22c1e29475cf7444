package hub.faults;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import hub.testing.Database;
import hub.testing.Kafka;
import hub.testing.Search;

/**
 * Strategy 3: commands through the API for one user of its own: create an order, pay it, and cancel every
 * third. A create whose answer died with the hub is not sent again (it would be a second order); whether it
 * took effect is read from the write model, which is the truth the read model must match.
 */
final class OrderLoad extends Load {

    private static final ObjectMapper JSON = new ObjectMapper();

    final long user = 900_000_000L + ThreadLocalRandom.current().nextLong(99_000_000L);
    /** order uuid → version the API answered last */
    private final Map<String, Integer> accepted = new ConcurrentHashMap<>();

    OrderLoad(Hubs hubs, int orders) {
        super("orders", hubs, orders);
    }

    @Override
    protected boolean send(int i) throws Exception {
        HttpResponse<String> created = post("/api/orders", "{\"user_id\":" + user + ",\"currency\":\"EUR\","
                + "\"items\":[{\"sku\":\"FAULT-" + i + "\",\"qty\":1,\"price\":5.00}]}", false);
        if (created == null) {
            return !stopping();
        }
        expect(201, created);
        String uuid = JSON.readTree(created.body()).get("uuid").asText();
        accepted.put(uuid, 1);
        return transition(uuid, "pay", 2) && (i % 3 != 0 || transition(uuid, "cancel", 3));
    }

    /** A transition answered 409 after a lost answer had already happened. */
    private boolean transition(String uuid, String command, int version) throws Exception {
        long lostBefore = uncertain.get();
        HttpResponse<String> answer = post("/api/orders/" + uuid + "/" + command, "{}", true);
        if (answer == null) {
            return false;
        }
        if (!(answer.statusCode() == 409 && uncertain.get() > lostBefore)) {
            expect(200, answer);
        }
        accepted.put(uuid, version);
        return true;
    }

    private static void expect(int status, HttpResponse<String> answer) {
        if (answer.statusCode() != status) {
            throw new AssertionError(answer.request().uri() + ": " + answer.statusCode() + " " + answer.body());
        }
    }

    /** uuid → version of this user's orders in the write model. */
    Map<String, Integer> writeModel() throws Exception {
        Map<String, Integer> orders = new HashMap<>();
        for (Map<String, Object> row : Database.query("SELECT uuid, version FROM orders WHERE user_id = ?", user)) {
            orders.put((String) row.get("uuid"), ((Number) row.get("version")).intValue());
        }
        return orders;
    }

    /** Every order of the write model once in {@code index} at its version, and nothing else of this user there. */
    Accounting account(String fault, String strategy, String index) throws Exception {
        Map<String, Integer> truth = writeModel();
        Map<String, Integer> found = new HashMap<>();
        long doubled = 0;
        for (JsonNode doc : Search.search(index, "{\"term\":{\"user_id\":" + user + "}}")) {
            if (found.put(doc.get("uuid").asText(), doc.get("version").asInt()) != null) {
                doubled++;
            }
        }
        Set<String> orders = new HashSet<>(truth.keySet());
        orders.addAll(accepted.keySet());
        long once = 0;
        for (String uuid : orders) {
            Integer version = truth.get(uuid);
            if (version != null && version >= accepted.getOrDefault(uuid, 0) && version.equals(found.get(uuid))) {
                once++;
            }
        }
        doubled += found.keySet().stream().filter(u -> !truth.containsKey(u)).count();
        return new Accounting(fault, strategy, "orders (" + accepted.size() + " created with a 201, "
                + uncertain.get() + " answers lost with the hub)", orders.size(), "in " + index + " at their last version",
                once, orders.size() - once, doubled, "");
    }

    /** Records on {@code topic} of this user's orders beyond one per order version: the relay's re-sends. */
    long duplicateRecords(String topic) throws Exception {
        Set<String> orders = writeModel().keySet();
        List<String> versions = Kafka.readAll(topic, Duration.ofSeconds(2)).stream()
                .filter(r -> orders.contains(r.key()))
                .map(r -> r.key() + "@" + version(r.value())).toList();
        return versions.size() - new HashSet<>(versions).size();
    }

    private static int version(String event) {
        try {
            return JSON.readTree(event).at("/data/version").asInt();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
