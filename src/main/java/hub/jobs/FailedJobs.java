package hub.jobs;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import com.fasterxml.jackson.databind.JsonNode;
import hub.errors.FailureClassifier;
import org.apache.camel.Exchange;
import org.apache.camel.component.kafka.KafkaConstants;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Failed jobs as Laravel keeps them: a record on {@code <queue>.failed} (exception, attempts, original
 * payload), mirrored into the {@code failed_jobs} table that the API lists, retries and forgets.
 */
public class FailedJobs {

    private final JdbcTemplate jdbc;

    public FailedJobs(DataSource dataSource) {
        this.jdbc = new JdbcTemplate(dataSource);
    }

    /** The failed-job record for the job in this exchange, whose body is the original payload. */
    public Map<String, Object> record(Exchange exchange) {
        Throwable failure = FailureClassifier.failureOf(exchange);
        JobEnvelope job = exchange.getProperty(JobRetries.JOB, JobEnvelope.class);
        String queue = exchange.getProperty(JobRetries.QUEUE, String.class);
        Map<String, Object> record = new LinkedHashMap<>();
        // an unreadable job has no id of its own: its position in the queue names it, stably
        record.put("id", job != null ? job.id() : queue + "-" + exchange.getIn().getHeader(KafkaConstants.PARTITION)
                + "-" + exchange.getIn().getHeader(KafkaConstants.OFFSET));
        record.put("queue", queue);
        record.put("type", job != null ? job.type() : null);
        record.put("exception_class", failure == null ? "unknown" : failure.getClass().getName());
        record.put("exception", failure == null ? "unknown" : String.valueOf(failure.getMessage()));
        record.put("attempts", exchange.getProperty(JobRetries.ATTEMPTS, 1, Integer.class));
        record.put("failed_at", Instant.now().toString());
        record.put("payload", exchange.getIn().getBody(String.class));
        return record;
    }

    public void store(JsonNode record) {
        jdbc.update("INSERT INTO failed_jobs (id, queue, job_type, payload, exception_class, exception, attempts, failed_at)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON DUPLICATE KEY UPDATE queue = VALUES(queue),"
                        + " job_type = VALUES(job_type), payload = VALUES(payload), exception_class = VALUES(exception_class),"
                        + " exception = VALUES(exception), attempts = VALUES(attempts), failed_at = VALUES(failed_at)",
                record.path("id").asText(), record.path("queue").asText(),
                record.path("type").isNull() ? null : record.path("type").asText(), record.path("payload").asText(),
                record.path("exception_class").asText(), record.path("exception").asText(),
                record.path("attempts").asInt(), Timestamp.from(Instant.parse(record.path("failed_at").asText())));
    }

    public List<Map<String, Object>> list() {
        return jdbc.queryForList("SELECT id, queue, job_type AS type, exception_class, exception, attempts,"
                + " DATE_FORMAT(failed_at, '%Y-%m-%dT%H:%i:%s.%fZ') AS failed_at, payload FROM failed_jobs ORDER BY failed_at, id");
    }

    /** The failed job, or null. */
    public Map<String, Object> find(String id) {
        List<Map<String, Object>> rows = jdbc.queryForList("SELECT id, queue, payload FROM failed_jobs WHERE id = ?", id);
        return rows.isEmpty() ? null : rows.get(0);
    }

    public boolean forget(String id) {
        return jdbc.update("DELETE FROM failed_jobs WHERE id = ?", id) == 1;
    }
}
