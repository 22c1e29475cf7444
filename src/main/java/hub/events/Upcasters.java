package hub.events;

import java.math.BigDecimal;
import java.util.Map;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Brings older event versions to the current shape before any projector or state read sees them. The stored
 * and published events stay as they were written: upcasting happens on every read, never in place.
 */
public class Upcasters {

    /** The shape projectors are written against, per event type. */
    public static final Map<String, Integer> CURRENT = Map.of(
            OrderEvent.CREATED, 2,
            OrderEvent.PAID, 1,
            OrderEvent.SHIPPED, 1,
            OrderEvent.CANCELLED, 1,
            OrderEvent.REFUNDED, 1);

    private final String defaultCurrency;

    /** {@code defaultCurrency}: what v1 OrderCreated events, which had no currency, were priced in. */
    public Upcasters(String defaultCurrency) {
        this.defaultCurrency = defaultCurrency;
    }

    public OrderEvent upcast(OrderEvent event) {
        OrderEvent current = event;
        if (current.type().equals(OrderEvent.CREATED) && current.eventVersion() == 1) {
            current = orderCreatedV1toV2(current);
        }
        return current;
    }

    /** v1 carried {@code total_cents}; v2 carries {@code total} as decimal text and a {@code currency}. */
    private OrderEvent orderCreatedV1toV2(OrderEvent v1) {
        ObjectNode data = v1.data().deepCopy();
        long cents = data.remove("total_cents").asLong();
        data.put("total", BigDecimal.valueOf(cents, 2).toPlainString());
        data.put("currency", defaultCurrency);
        return v1.withData(2, data);
    }
}
