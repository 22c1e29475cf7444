package hub.saga;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import hub.errors.JsonInput;
import hub.errors.PoisonMessageException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A reference participant: takes a command {@code {"order_id", "type", ...}} and answers
 * {@code {"order_id", "success", "step", "reason"?}}. Each order has one row in the participant's table,
 * claimed with {@code INSERT IGNORE} and then locked, so a redelivered command answers what the first one
 * did, and a compensation that comes before its action leaves a row that refuses the action later.
 */
public abstract class Participant {

    private static final ObjectMapper JSON = new ObjectMapper();

    protected final JdbcTemplate jdbc;
    private final TransactionTemplate tx;

    protected Participant(DataSource dataSource) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.tx = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
    }

    /** One command in one transaction; the answer is the reply body. */
    public String handle(String body) throws Exception {
        ObjectNode command = JsonInput.object(body);
        String orderId = command.path("order_id").asText("");
        String type = command.path("type").asText("");
        if (orderId.isEmpty() || type.isEmpty()) {
            throw new PoisonMessageException("order_id and type expected");
        }
        String reason = tx.execute(status -> apply(orderId, type, command));
        Map<String, Object> reply = new LinkedHashMap<>();
        reply.put("order_id", orderId);
        reply.put("success", reason == null);
        reply.put("step", type);
        if (reason != null) {
            reply.put("reason", reason);
        }
        return JSON.writeValueAsString(reply);
    }

    /** Applies the command; null when it succeeded, else why not. Unknown types are poison. */
    protected abstract String apply(String orderId, String type, ObjectNode command);

    /**
     * The order's row in {@code table}, locked: inserted as {@code NEW} when missing. {@code NEW} means this
     * command is the first the participant sees for the order.
     */
    protected Map<String, Object> claim(String table, String orderId) {
        jdbc.update("INSERT IGNORE INTO " + table + " (order_id, status) VALUES (?, 'NEW')", orderId);
        List<Map<String, Object>> rows = jdbc.queryForList(
                "SELECT * FROM " + table + " WHERE order_id = ? FOR UPDATE", orderId);
        return rows.get(0);
    }

    protected static PoisonMessageException unknown(String type) {
        return new PoisonMessageException("unknown command type: " + type);
    }
}
