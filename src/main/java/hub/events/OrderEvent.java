package hub.events;

import java.time.Instant;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One immutable fact about an order, in the wire format of {@code order-events}: the laravel-kafka message
 * ({@code type}, {@code aggregate_uuid}, {@code data}, {@code timestamp}) plus the schema version of
 * {@code data} ({@code event_version}) and the event's place in its aggregate ({@code sequence}, from 1).
 */
public record OrderEvent(String type, String aggregateUuid, int eventVersion, long sequence, ObjectNode data,
        Instant timestamp) {

    public static final String CREATED = "OrderCreated";
    public static final String PAID = "OrderPaid";
    public static final String SHIPPED = "OrderShipped";
    public static final String CANCELLED = "OrderCancelled";
    public static final String REFUNDED = "OrderRefunded";

    private static final ObjectMapper JSON = new ObjectMapper();

    public OrderEvent withData(int version, ObjectNode newData) {
        return new OrderEvent(type, aggregateUuid, version, sequence, newData, timestamp);
    }

    public ObjectNode toJson() {
        ObjectNode event = JSON.createObjectNode();
        event.put("type", type);
        event.put("aggregate_uuid", aggregateUuid);
        event.set("data", data);
        event.put("timestamp", timestamp.toString());
        event.put("event_version", eventVersion);
        event.put("sequence", sequence);
        return event;
    }
}
