package hub.jobs;

import javax.sql.DataSource;

import org.apache.camel.Exchange;
import org.springframework.jdbc.core.JdbcTemplate;

/** Durable idempotency for jobs: a job id is recorded once its handler has succeeded. */
public class JobLedger {

    private final JdbcTemplate jdbc;

    public JobLedger(DataSource dataSource) {
        this.jdbc = new JdbcTemplate(dataSource);
    }

    /** True unless the job in the exchange already ran to success. */
    public boolean isNew(Exchange exchange) {
        String jobId = exchange.getProperty(JobRetries.JOB, JobEnvelope.class).id();
        return jdbc.queryForObject("SELECT COUNT(*) FROM job_ledger WHERE job_id = ?", Integer.class, jobId) == 0;
    }

    /** Records the job in the exchange as done, with the attempts it took. */
    public void completed(Exchange exchange) {
        JobEnvelope job = exchange.getProperty(JobRetries.JOB, JobEnvelope.class);
        int attempts = JobRetries.attempt(exchange);
        jdbc.update("INSERT INTO job_ledger (job_id, queue, job_type, attempts) VALUES (?, ?, ?, ?)"
                + " ON DUPLICATE KEY UPDATE job_id = job_id",
                job.id(), exchange.getProperty(JobRetries.QUEUE, String.class), job.type(), attempts);
    }
}
