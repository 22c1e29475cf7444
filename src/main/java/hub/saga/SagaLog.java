package hub.saga;

import java.sql.Timestamp;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import javax.sql.DataSource;

import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The orchestrator's SQL record of each checkout ({@code checkout_sagas}, {@code checkout_saga_steps}).
 * The coordinator's callbacks carry only the LRA id (header {@code Long-Running-Action}), so the request
 * a compensation needs is looked up by it here.
 */
public class SagaLog {

    public static final String RUNNING = "RUNNING";
    public static final String COMPLETED = "COMPLETED";
    public static final String COMPENSATED = "COMPENSATED";
    public static final String FAILED = "FAILED";

    private final JdbcTemplate jdbc;
    private final Supplier<MeterRegistry> metrics;

    public SagaLog(DataSource dataSource, Supplier<MeterRegistry> metrics) {
        this.metrics = metrics;
        this.jdbc = new JdbcTemplate(dataSource);
    }

    public void start(Checkout checkout, String sagaId) {
        jdbc.update("INSERT INTO checkout_sagas (order_id, saga_id, request, state) VALUES (?, ?, ?, ?)",
                checkout.orderId(), sagaId, checkout.toJson(), RUNNING);
    }

    /** The saga id of an order already checked out, if any. */
    public Optional<String> sagaOf(String orderId) {
        return jdbc.queryForList("SELECT saga_id FROM checkout_sagas WHERE order_id = ?", String.class, orderId)
                .stream().findFirst();
    }

    /** The checkout a saga runs, or empty for an LRA the hub did not record (it failed before it started). */
    public Optional<Checkout> checkoutOf(String sagaId) {
        return jdbc.queryForList("SELECT request FROM checkout_sagas WHERE saga_id = ?", String.class, sagaId)
                .stream().findFirst().map(Checkout::fromJson);
    }

    /** Whether the coordinator confirmed the saga: its outcome is final. */
    public boolean completed(String sagaId) {
        return !jdbc.queryForList("SELECT 1 FROM checkout_sagas WHERE saga_id = ? AND state = ?", Integer.class,
                sagaId, COMPLETED).isEmpty();
    }

    /** Counts a coordinator callback that contradicts the saga's recorded outcome and was not carried out. */
    public void contradicted(Step step) {
        MeterRegistry registry = metrics.get();
        if (registry != null) {
            registry.counter("hub.saga.compensations.ignored", "step", step.participant()).increment();
        }
    }

    public void step(String orderId, Step step, String status, String reason) {
        jdbc.update("INSERT INTO checkout_saga_steps (order_id, step, status, reason) VALUES (?, ?, ?, ?)"
                        + " ON DUPLICATE KEY UPDATE status = VALUES(status), reason = VALUES(reason),"
                        + " updated_at = CURRENT_TIMESTAMP(3)",
                orderId, step.participant(), status, truncate(reason));
    }

    /** A refused step stays FAILED (its compensation had nothing to undo); any other becomes COMPENSATED. */
    public void compensated(String orderId, Step step) {
        jdbc.update("INSERT INTO checkout_saga_steps (order_id, step, status) VALUES (?, ?, 'COMPENSATED')"
                        + " ON DUPLICATE KEY UPDATE status = IF(status = 'FAILED', status, 'COMPENSATED'),"
                        + " updated_at = CURRENT_TIMESTAMP(3)",
                orderId, step.participant());
    }

    /** The first reason a saga failed is kept; the state moves on. */
    public void failing(String orderId, String reason) {
        jdbc.update("UPDATE checkout_sagas SET reason = COALESCE(reason, ?) WHERE order_id = ?", truncate(reason), orderId);
    }

    /**
     * Final state, set once (the coordinator may call back more than once). FAILED is not final: it says the
     * hub could not end the saga, and the coordinator's own end (its time limit) still comes.
     */
    public void finish(String sagaId, String state) {
        int ended = jdbc.update("UPDATE checkout_sagas SET state = ?, finished_at = CURRENT_TIMESTAMP(3)"
                + " WHERE saga_id = ? AND state IN (?, ?)", state, sagaId, RUNNING, FAILED);
        MeterRegistry registry = metrics.get();
        if (ended == 1 && registry != null) {
            // counted where the state changed, so a repeated callback is not counted twice
            registry.counter("hub.saga.outcomes", "state", state).increment();
        }
    }

    /** {@code {"order_id", "saga_id", "state", "reason", "steps": [{"step", "status", "reason"}]}} or empty. */
    public Optional<Map<String, Object>> view(String orderId) {
        List<Map<String, Object>> rows = jdbc.queryForList(
                "SELECT order_id, saga_id, state, reason, created_at, finished_at FROM checkout_sagas WHERE order_id = ?",
                orderId);
        if (rows.isEmpty()) {
            return Optional.empty();
        }
        Map<String, Object> row = rows.get(0);
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("order_id", row.get("order_id"));
        view.put("saga_id", row.get("saga_id"));
        view.put("state", row.get("state"));
        view.put("reason", row.get("reason"));
        view.put("created_at", iso(row.get("created_at")));
        view.put("finished_at", iso(row.get("finished_at")));
        Map<String, Map<String, Object>> byStep = new LinkedHashMap<>();
        for (Map<String, Object> s : jdbc.queryForList(
                "SELECT step, status, reason FROM checkout_saga_steps WHERE order_id = ?", orderId)) {
            Map<String, Object> step = new LinkedHashMap<>();
            step.put("step", s.get("step"));
            step.put("status", s.get("status"));
            step.put("reason", s.get("reason"));
            byStep.put((String) s.get("step"), step);
        }
        view.put("steps", Arrays.stream(Step.values()).map(Step::participant)
                .filter(byStep::containsKey).map(byStep::get).toList());
        return Optional.of(view);
    }

    private static String iso(Object timestamp) {
        return timestamp instanceof Timestamp t ? t.toInstant().toString() : null;
    }

    private static String truncate(String reason) {
        return reason == null || reason.length() <= 255 ? reason : reason.substring(0, 255);
    }
}
