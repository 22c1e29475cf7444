package hub.saga;

import java.util.Locale;
import java.util.Map;

import javax.sql.DataSource;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** Reference shipping service on {@code shipments}: fails for addresses containing "nowhere". */
public class ShipmentParticipant extends Participant {

    public ShipmentParticipant(DataSource dataSource) {
        super(dataSource);
    }

    @Override
    protected String apply(String orderId, String type, ObjectNode command) {
        return switch (type) {
            case "ship" -> ship(orderId, command.path("address").asText(""));
            case "cancel" -> cancel(orderId);
            default -> throw unknown(type);
        };
    }

    private String ship(String orderId, String address) {
        Map<String, Object> row = claim("shipments", orderId);
        switch ((String) row.get("status")) {
            case "CREATED":
                return null;
            case "FAILED":
                return (String) row.get("reason");
            case "CANCELLED":
                return "cancelled before it was created";
            default:
                break;
        }
        if (address.toLowerCase(Locale.ROOT).contains("nowhere")) {
            jdbc.update("UPDATE shipments SET status = 'FAILED', address = ?, reason = 'address not deliverable'"
                    + " WHERE order_id = ?", address, orderId);
            return "address not deliverable";
        }
        jdbc.update("UPDATE shipments SET status = 'CREATED', address = ? WHERE order_id = ?", address, orderId);
        return null;
    }

    private String cancel(String orderId) {
        Map<String, Object> row = claim("shipments", orderId);
        String status = (String) row.get("status");
        if (status.equals("CREATED") || status.equals("NEW")) {
            jdbc.update("UPDATE shipments SET status = 'CANCELLED', cancelled_at = CURRENT_TIMESTAMP(3)"
                    + " WHERE order_id = ?", orderId);
        }
        return null;
    }
}
