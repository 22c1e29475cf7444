package hub.jobs;

import java.util.List;

import hub.errors.FailureClassifier;
import org.apache.camel.Exchange;

/**
 * Laravel's retry rules for one job: up to {@code max_tries} attempts (0 = unlimited), waiting
 * {@code backoff[n-1]} seconds before retry n (the last value repeats), with defaults from configuration.
 * Retries happen in place, so later jobs with the same key wait: per-key order holds.
 */
public class JobRetries {

    /** Exchange properties the queue route keeps across attempts. */
    public static final String JOB = "hubJob";
    public static final String QUEUE = "hubJobQueue";
    public static final String ATTEMPTS = "hubJobAttempts";

    private final int defaultMaxTries;
    private final List<Integer> defaultBackoff;

    public JobRetries(int defaultMaxTries, List<Integer> defaultBackoff) {
        this.defaultMaxTries = defaultMaxTries;
        this.defaultBackoff = defaultBackoff;
    }

    /** Camel's retryWhile: called after each failed attempt; sets the delay before the next one. */
    public boolean retry(Exchange exchange) {
        int attempts = exchange.getIn().getHeader(Exchange.REDELIVERY_COUNTER, 1, Integer.class);
        exchange.setProperty(ATTEMPTS, attempts);
        JobEnvelope job = exchange.getProperty(JOB, JobEnvelope.class);
        if (job == null || FailureClassifier.isPoison(exchange)) {
            return false;
        }
        int maxTries = job.maxTries() != null ? job.maxTries() : defaultMaxTries;
        if (maxTries != 0 && attempts >= maxTries) {
            return false;
        }
        exchange.getIn().setHeader(Exchange.REDELIVERY_DELAY, 1000L * delaySeconds(job.backoffSeconds(), attempts));
        return true;
    }

    int delaySeconds(List<Integer> backoff, int retry) {
        List<Integer> delays = backoff.isEmpty() ? defaultBackoff : backoff;
        return delays.isEmpty() ? 0 : delays.get(Math.min(retry, delays.size()) - 1);
    }
}
