package hub.jobs;

/** An attempt ran past the job's timeout; it counts as a failed attempt. */
public class JobTimeoutException extends RuntimeException {

    public JobTimeoutException(String jobId, int timeoutSeconds) {
        super("job " + jobId + " ran longer than its timeout of " + timeoutSeconds + " s");
    }
}
