package hub.events;

import java.sql.Timestamp;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import hub.errors.JsonInput;

/** Reads events from the wire and from the event store, always upcast to the current shape. */
public class OrderEvents {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final EventSchemas schemas;
    private final Upcasters upcasters;

    public OrderEvents(EventSchemas schemas, Upcasters upcasters) {
        this.schemas = schemas;
        this.upcasters = upcasters;
    }

    /** A message from {@code order-events}: malformed or invalid ones throw a poison exception with the reason. */
    public OrderEvent decode(String message) {
        return upcasters.upcast(schemas.validate(JsonInput.object(message)));
    }

    /** An event as written, checked but not upcast: what the store keeps and publishes. */
    public OrderEvent validate(ObjectNode json) {
        return schemas.validate(json);
    }

    /** A row of {@code order_events}, upcast (stored events were validated when they were written). */
    public OrderEvent fromRow(Map<String, Object> row) {
        return upcasters.upcast(stored(row));
    }

    /** A row of {@code order_events} as it was written. */
    public static OrderEvent stored(Map<String, Object> row) {
        try {
            return new OrderEvent((String) row.get("type"), (String) row.get("aggregate_uuid"),
                    ((Number) row.get("event_version")).intValue(), ((Number) row.get("sequence")).longValue(),
                    (ObjectNode) JSON.readTree((String) row.get("data")), ((Timestamp) row.get("occurred_at")).toInstant());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable event in order_events: " + row.get("aggregate_uuid")
                    + "/" + row.get("sequence"), e);
        }
    }
}
