package hub.orders;

import java.math.BigDecimal;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.sql.DataSource;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import hub.api.ApiException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The CQRS command side: each command changes {@code orders}/{@code order_items} and writes the resulting
 * event to {@code order_outbox} in the same transaction, so an event exists exactly when its change does.
 */
public class OrderCommands {

    public static final String CREATED = "OrderCreated";
    public static final String PAID = "OrderPaid";
    public static final String CANCELLED = "OrderCancelled";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;

    public OrderCommands(DataSource dataSource) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.tx = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
    }

    public Map<String, Object> create(CreateOrder command) {
        String uuid = UUID.randomUUID().toString();
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        return tx.execute(status -> {
            GeneratedKeyHolder key = new GeneratedKeyHolder();
            jdbc.update(c -> {
                PreparedStatement st = c.prepareStatement("INSERT INTO orders (uuid, user_id, status, total, currency,"
                        + " version, created_at, updated_at) VALUES (?, ?, 'pending', ?, ?, 1, ?, ?)", Statement.RETURN_GENERATED_KEYS);
                st.setString(1, uuid);
                st.setLong(2, command.userId());
                st.setBigDecimal(3, command.total());
                st.setString(4, command.currency());
                st.setTimestamp(5, Timestamp.from(now));
                st.setTimestamp(6, Timestamp.from(now));
                return st;
            }, key);
            long id = key.getKey().longValue();
            jdbc.batchUpdate("INSERT INTO order_items (order_id, sku, qty, price) VALUES (?, ?, ?, ?)",
                    command.items().stream().map(i -> new Object[] {id, i.sku(), i.qty(), i.price()}).toList());
            return publish(CREATED, id, now);
        });
    }

    public Map<String, Object> pay(String uuid) {
        return transition(uuid, PAID, "paid", List.of("pending"));
    }

    public Map<String, Object> cancel(String uuid) {
        return transition(uuid, CANCELLED, "cancelled", List.of("pending", "paid"));
    }

    private Map<String, Object> transition(String uuid, String event, String to, List<String> from) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        return tx.execute(status -> {
            List<Map<String, Object>> rows = jdbc.queryForList(
                    "SELECT id, status FROM orders WHERE uuid = ? FOR UPDATE", uuid);
            if (rows.isEmpty()) {
                throw ApiException.notFound("no order " + uuid);
            }
            String current = (String) rows.get(0).get("status");
            if (!from.contains(current)) {
                throw new ApiException(409, "order " + uuid + " is " + current + " and cannot become " + to);
            }
            long id = ((Number) rows.get(0).get("id")).longValue();
            jdbc.update("UPDATE orders SET status = ?, version = version + 1, updated_at = ? WHERE id = ?",
                    to, Timestamp.from(now), id);
            return publish(event, id, now);
        });
    }

    /** Writes the event carrying the order's state after the change; returns what the API answers. */
    private Map<String, Object> publish(String type, long orderId, Instant at) {
        Map<String, Object> order = jdbc.queryForMap("SELECT uuid, user_id, status, total, currency, version,"
                + " created_at, updated_at FROM orders WHERE id = ?", orderId);
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("uuid", order.get("uuid"));
        data.put("user_id", ((Number) order.get("user_id")).longValue());
        data.put("status", order.get("status"));
        data.put("total", ((BigDecimal) order.get("total")).toPlainString());
        data.put("currency", order.get("currency"));
        data.put("version", ((Number) order.get("version")).intValue());
        data.put("created_at", ((Timestamp) order.get("created_at")).toInstant().toString());
        data.put("updated_at", ((Timestamp) order.get("updated_at")).toInstant().toString());
        data.put("items", jdbc.queryForList("SELECT sku, qty, price FROM order_items WHERE order_id = ? ORDER BY id", orderId)
                .stream().map(i -> Map.of("sku", i.get("sku"), "qty", i.get("qty"),
                        "price", ((BigDecimal) i.get("price")).toPlainString())).toList());
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("type", type);
        event.put("aggregate_uuid", order.get("uuid"));
        event.put("data", data);
        event.put("timestamp", at.toString());
        try {
            jdbc.update("INSERT INTO order_outbox (aggregate_uuid, event_type, payload) VALUES (?, ?, ?)",
                    order.get("uuid"), type, JSON.writeValueAsString(event));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        return Map.of("uuid", data.get("uuid"), "version", data.get("version"), "status", data.get("status"));
    }
}
