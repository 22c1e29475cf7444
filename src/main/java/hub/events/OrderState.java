package hub.events;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * An order as its events made it: the one fold that projectors, state reads and snapshots share.
 * {@code version} is the sequence of the last event applied; 0 means no event yet.
 */
public record OrderState(String uuid, Long userId, String status, BigDecimal total, String currency,
        Instant createdAt, Instant paidAt, Instant shippedAt, Instant cancelledAt, Instant refundedAt, Instant updatedAt,
        long version) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Which statuses each event may follow; an OrderCreated only starts an aggregate. */
    private static final Map<String, List<String>> ALLOWED_FROM = Map.of(
            OrderEvent.PAID, List.of("pending"),
            OrderEvent.SHIPPED, List.of("paid"),
            OrderEvent.CANCELLED, List.of("pending", "paid"),
            OrderEvent.REFUNDED, List.of("paid", "shipped", "cancelled"));

    public static OrderState none(String uuid) {
        return new OrderState(uuid, null, null, null, null, null, null, null, null, null, null, 0);
    }

    /** Applies an event in its current shape (see {@link Upcasters}); the caller keeps the sequence order. */
    public OrderState apply(OrderEvent event) {
        Instant at = event.timestamp();
        long v = event.sequence();
        JsonNode data = event.data();
        return switch (event.type()) {
            case OrderEvent.CREATED -> new OrderState(uuid, data.get("user_id").asLong(), "pending",
                    new BigDecimal(data.get("total").asText()), data.get("currency").asText(), at, null, null, null, null, at, v);
            case OrderEvent.PAID -> new OrderState(uuid, userId, "paid", total, currency, createdAt, at, shippedAt,
                    cancelledAt, refundedAt, at, v);
            case OrderEvent.SHIPPED -> new OrderState(uuid, userId, "shipped", total, currency, createdAt, paidAt, at,
                    cancelledAt, refundedAt, at, v);
            case OrderEvent.CANCELLED -> new OrderState(uuid, userId, "cancelled", total, currency, createdAt, paidAt,
                    shippedAt, at, refundedAt, at, v);
            case OrderEvent.REFUNDED -> new OrderState(uuid, userId, "refunded", total, currency, createdAt, paidAt,
                    shippedAt, cancelledAt, at, at, v);
            default -> throw new IllegalArgumentException("unknown event type " + event.type());
        };
    }

    /** Why {@code type} may not happen to the order now, or null if it may. */
    public String refusal(String type) {
        if (OrderEvent.CREATED.equals(type)) {
            return version == 0 ? null : "order " + uuid + " already exists";
        }
        if (version == 0) {
            return "order " + uuid + " does not exist; its first event must be OrderCreated";
        }
        if (!ALLOWED_FROM.getOrDefault(type, List.of()).contains(status)
                || OrderEvent.REFUNDED.equals(type) && paidAt == null) {
            return "order " + uuid + " is " + status + ": " + type + " cannot follow";
        }
        return null;
    }

    public ObjectNode toJson() {
        ObjectNode json = JSON.createObjectNode();
        json.put("uuid", uuid);
        json.put("user_id", userId);
        json.put("status", status);
        json.put("total", total == null ? null : total.toPlainString());
        json.put("currency", currency);
        json.put("created_at", text(createdAt));
        json.put("paid_at", text(paidAt));
        json.put("shipped_at", text(shippedAt));
        json.put("cancelled_at", text(cancelledAt));
        json.put("refunded_at", text(refundedAt));
        json.put("updated_at", text(updatedAt));
        json.put("version", version);
        return json;
    }

    public static OrderState fromJson(JsonNode json) {
        return new OrderState(json.get("uuid").asText(), json.get("user_id").isNull() ? null : json.get("user_id").asLong(),
                textOrNull(json, "status"), json.get("total").isNull() ? null : new BigDecimal(json.get("total").asText()),
                textOrNull(json, "currency"), instant(json, "created_at"), instant(json, "paid_at"),
                instant(json, "shipped_at"), instant(json, "cancelled_at"), instant(json, "refunded_at"),
                instant(json, "updated_at"), json.get("version").asLong());
    }

    private static String text(Instant at) {
        return at == null ? null : at.toString();
    }

    private static String textOrNull(JsonNode json, String field) {
        return json.path(field).isTextual() ? json.get(field).asText() : null;
    }

    private static Instant instant(JsonNode json, String field) {
        return json.path(field).isTextual() ? Instant.parse(json.get(field).asText()) : null;
    }
}
