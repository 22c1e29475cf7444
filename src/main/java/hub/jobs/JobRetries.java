package hub.jobs;

import java.util.List;

import hub.errors.FailureClassifier;
import org.apache.camel.Exchange;

/**
 * Laravel's retry rules for one job: up to {@code max_tries} attempts (0 = unlimited), waiting
 * {@code backoff[n-1]} seconds before retry n (the last value repeats), with defaults from configuration.
 * Retries happen in place, so later jobs with the same key wait: per-key order holds. A transient fault (a
 * dependency down or slow: the database, the broker) is not an attempt of the job: as everywhere in the hub it
 * is retried with exponential backoff until the dependency is back, so an outage fails no job.
 */
public class JobRetries {

    /** Exchange properties the queue route keeps across attempts. */
    public static final String JOB = "hubJob";
    public static final String QUEUE = "hubJobQueue";
    public static final String ATTEMPTS = "hubJobAttempts";
    /** Failures that were transient faults, which do not count as attempts. */
    public static final String WAITS = "hubJobWaits";

    private final int defaultMaxTries;
    private final List<Integer> defaultBackoff;
    private final long transientDelayMs;
    private final long transientMaxDelayMs;

    public JobRetries(int defaultMaxTries, List<Integer> defaultBackoff, long transientDelayMs, long transientMaxDelayMs) {
        this.defaultMaxTries = defaultMaxTries;
        this.defaultBackoff = defaultBackoff;
        this.transientDelayMs = transientDelayMs;
        this.transientMaxDelayMs = transientMaxDelayMs;
    }

    /** The job's attempt number during an attempt: 1 for the first delivery; waits for a dependency do not count. */
    public static int attempt(Exchange exchange) {
        return 1 + exchange.getIn().getHeader(Exchange.REDELIVERY_COUNTER, 0, Integer.class)
                - exchange.getProperty(WAITS, 0, Integer.class);
    }

    /** Camel's retryWhile: called after each failed attempt; sets the delay before the next one. */
    public boolean retry(Exchange exchange) {
        int waits = exchange.getProperty(WAITS, 0, Integer.class);
        if (exchange.getProperty(JOB) != null && !FailureClassifier.isPoison(exchange)
                && FailureClassifier.isTransient(exchange)) {
            exchange.setProperty(WAITS, ++waits);
            exchange.getIn().setHeader(Exchange.REDELIVERY_DELAY,
                    Math.min(transientMaxDelayMs, transientDelayMs << Math.min(waits - 1, 20)));
            return true;
        }
        int attempts = exchange.getIn().getHeader(Exchange.REDELIVERY_COUNTER, 1, Integer.class) - waits;
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
