package hub.jobs;

import javax.sql.DataSource;

import com.fasterxml.jackson.databind.JsonNode;
import hub.errors.PoisonMessageException;
import org.apache.camel.Header;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The built-in handler of {@code ProcessOrderEvent} jobs: records the processed order in
 * {@code processed_jobs}. Accepts the hub's {@code {"order_id", ...}} and Laravel's
 * {@code {"orderData": {"order_id", ...}}}. Keyed by job id, so running it twice writes once.
 */
public class ProcessOrderEventHandler {

    private final JdbcTemplate jdbc;

    public ProcessOrderEventHandler(DataSource dataSource) {
        this.jdbc = new JdbcTemplate(dataSource);
    }

    public void handle(JsonNode data, @Header(JobHandlers.JOB_ID) String jobId,
                       @Header(JobHandlers.JOB_TYPE) String type, @Header(JobHandlers.JOB_QUEUE) String queue) {
        JsonNode order = data.has("orderData") ? data.get("orderData") : data;
        JsonNode orderId = order.get("order_id");
        if (orderId == null || orderId.isNull() || orderId.isContainerNode()) {
            throw new PoisonMessageException("ProcessOrderEvent needs order_id");
        }
        jdbc.update("INSERT INTO processed_jobs (job_id, job_type, queue, order_id, data) VALUES (?, ?, ?, ?, ?)"
                + " ON DUPLICATE KEY UPDATE job_id = job_id", jobId, type, queue, orderId.asText(), order.toString());
    }
}
