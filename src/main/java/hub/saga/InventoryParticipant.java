package hub.saga;

import java.util.Map;
import java.util.TreeMap;

import javax.sql.DataSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Reference inventory service on {@code inventory(sku, stock, reserved)}: reserve moves the quantities from
 * stock to reserved, release moves them back, commit (the saga completed) takes them out of reserved.
 */
public class InventoryParticipant extends Participant {

    private static final ObjectMapper JSON = new ObjectMapper();

    public InventoryParticipant(DataSource dataSource) {
        super(dataSource);
    }

    @Override
    protected String apply(String orderId, String type, ObjectNode command) {
        return switch (type) {
            case "reserve" -> reserve(orderId, command.path("items"));
            case "release" -> release(orderId);
            case "commit" -> commit(orderId);
            default -> throw unknown(type);
        };
    }

    private String reserve(String orderId, JsonNode items) {
        Map<String, Object> row = claim("inventory_reservations", orderId);
        switch ((String) row.get("status")) {
            case "RESERVED", "COMMITTED":
                return null;
            case "REJECTED":
                return (String) row.get("reason");
            case "RELEASED":
                return "released before it was reserved";
            default:
                break;
        }
        // one row per sku, locked in sku order so concurrent reservations cannot deadlock
        Map<String, Integer> wanted = new TreeMap<>();
        items.forEach(i -> wanted.merge(i.path("sku").asText(), i.path("qty").asInt(), Integer::sum));
        for (var item : wanted.entrySet()) {
            Integer stock = jdbc.queryForList("SELECT stock FROM inventory WHERE sku = ? FOR UPDATE", Integer.class,
                    item.getKey()).stream().findFirst().orElse(null);
            if (stock == null || stock < item.getValue()) {
                String reason = stock == null ? "unknown sku " + item.getKey() : "not enough stock of " + item.getKey();
                jdbc.update("UPDATE inventory_reservations SET status = 'REJECTED', items = '[]', reason = ?"
                        + " WHERE order_id = ?", reason, orderId);
                return reason;
            }
        }
        wanted.forEach((sku, qty) -> jdbc.update(
                "UPDATE inventory SET stock = stock - ?, reserved = reserved + ? WHERE sku = ?", qty, qty, sku));
        jdbc.update("UPDATE inventory_reservations SET status = 'RESERVED', items = ? WHERE order_id = ?",
                JSON.valueToTree(wanted).toString(), orderId);
        return null;
    }

    private String release(String orderId) {
        Map<String, Object> row = claim("inventory_reservations", orderId);
        String status = (String) row.get("status");
        if (status.equals("RESERVED")) {
            reserved(row).forEach((sku, qty) -> jdbc.update(
                    "UPDATE inventory SET stock = stock + ?, reserved = reserved - ? WHERE sku = ?", qty, qty, sku));
        }
        if (status.equals("RESERVED") || status.equals("NEW")) {
            jdbc.update("UPDATE inventory_reservations SET status = 'RELEASED' WHERE order_id = ?", orderId);
        }
        return null;
    }

    private String commit(String orderId) {
        Map<String, Object> row = claim("inventory_reservations", orderId);
        String status = (String) row.get("status");
        if (status.equals("RESERVED")) {
            reserved(row).forEach((sku, qty) -> jdbc.update(
                    "UPDATE inventory SET reserved = reserved - ? WHERE sku = ?", qty, sku));
            jdbc.update("UPDATE inventory_reservations SET status = 'COMMITTED' WHERE order_id = ?", orderId);
            return null;
        }
        return status.equals("COMMITTED") ? null : "nothing reserved to commit (" + status + ")";
    }

    private static Map<String, Integer> reserved(Map<String, Object> row) {
        try {
            Map<String, Integer> items = new TreeMap<>();
            JSON.readTree((String) row.get("items")).properties()
                    .forEach(e -> items.put(e.getKey(), e.getValue().asInt()));
            return items;
        } catch (java.io.IOException e) {
            throw new IllegalStateException("reservation of order " + row.get("order_id") + " unreadable", e);
        }
    }
}
