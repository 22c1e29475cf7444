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
            // the new order is exactly the command: no need to read it back
            return publish(CREATED, order(uuid, command.userId(), "pending", command.total(), command.currency(), 1,
                    now, now, command.items().stream().map(i -> item(i.sku(), i.qty(), i.price())).toList()), now);
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
            return publish(event, read(id), now);
        });
    }

    /** The order's state as committed in this transaction. */
    private Map<String, Object> read(long orderId) {
        Map<String, Object> row = jdbc.queryForMap("SELECT uuid, user_id, status, total, currency, version,"
                + " created_at, updated_at FROM orders WHERE id = ?", orderId);
        return order((String) row.get("uuid"), ((Number) row.get("user_id")).longValue(), (String) row.get("status"),
                (BigDecimal) row.get("total"), (String) row.get("currency"), ((Number) row.get("version")).intValue(),
                ((Timestamp) row.get("created_at")).toInstant(), ((Timestamp) row.get("updated_at")).toInstant(),
                jdbc.queryForList("SELECT sku, qty, price FROM order_items WHERE order_id = ? ORDER BY id", orderId)
                        .stream().map(i -> item((String) i.get("sku"), ((Number) i.get("qty")).intValue(),
                                (BigDecimal) i.get("price"))).toList());
    }

    /** An order as events carry it; money with the write model's two decimals. */
    private static Map<String, Object> order(String uuid, long userId, String status, BigDecimal total,
            String currency, int version, Instant createdAt, Instant updatedAt, List<Map<String, Object>> items) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("uuid", uuid);
        data.put("user_id", userId);
        data.put("status", status);
        data.put("total", total.setScale(2).toPlainString());
        data.put("currency", currency);
        data.put("version", version);
        data.put("created_at", createdAt.toString());
        data.put("updated_at", updatedAt.toString());
        data.put("items", items);
        return data;
    }

    private static Map<String, Object> item(String sku, int qty, BigDecimal price) {
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("sku", sku);
        item.put("qty", qty);
        item.put("price", price.setScale(2).toPlainString());
        return item;
    }

    /** Writes the event carrying the order's state after the change; returns what the API answers. */
    private Map<String, Object> publish(String type, Map<String, Object> data, Instant at) {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("type", type);
        event.put("aggregate_uuid", data.get("uuid"));
        event.put("data", data);
        event.put("timestamp", at.toString());
        try {
            jdbc.update("INSERT INTO order_outbox (aggregate_uuid, event_type, payload) VALUES (?, ?, ?)",
                    data.get("uuid"), type, JSON.writeValueAsString(event));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        return Map.of("uuid", data.get("uuid"), "version", data.get("version"), "status", data.get("status"));
    }
}
