package hub.jobs;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.Route;
import org.apache.camel.support.service.ServiceSupport;

/**
 * Runs a job's handler with its timeout. The handler of job type {@code T} is the route consuming
 * {@code direct:job-T}: shipped in {@code camel/job-handlers.camel.yaml}, added or changed at run time by a YAML
 * route file in {@code HUB_ROUTES_DIR}.
 */
public class JobHandlers extends ServiceSupport {

    public static final String JOB_ID = "job-id";
    public static final String JOB_TYPE = "job-type";
    public static final String JOB_QUEUE = "job-queue";
    public static final String JOB_ATTEMPT = "job-attempt";

    /** a type names an endpoint, so it may not carry URI syntax */
    private static final Pattern TYPE = Pattern.compile("[A-Za-z0-9_.-]{1,200}");

    private final CamelContext camel;
    private final int defaultTimeoutSeconds;
    private ProducerTemplate template;
    private ScheduledExecutorService timer;

    public JobHandlers(CamelContext camel, int defaultTimeoutSeconds) {
        this.camel = camel;
        this.defaultTimeoutSeconds = defaultTimeoutSeconds;
    }

    @Override
    protected void doStart() {
        template = camel.createProducerTemplate();
        timer = camel.getExecutorServiceManager().newSingleThreadScheduledExecutor(this, "job-timeouts");
    }

    @Override
    protected void doStop() throws Exception {
        camel.getExecutorServiceManager().shutdown(timer);
        template.stop();
    }

    /**
     * Runs one attempt of the job in the exchange body. Throws the handler's failure, a
     * {@link JobTimeoutException} past the job's timeout, or an {@link UnknownJobTypeException}.
     */
    public void run(Exchange exchange) throws Exception {
        JobEnvelope job = exchange.getProperty(JobRetries.JOB, JobEnvelope.class);
        String uri = handlerUri(job.type());
        if (uri == null) {
            throw new UnknownJobTypeException(job.type());
        }
        int attempt = JobRetries.attempt(exchange);
        int timeout = job.timeoutSeconds() != null && job.timeoutSeconds() > 0 ? job.timeoutSeconds() : defaultTimeoutSeconds;
        // the handler runs on the consumer's own thread; a watchdog interrupts it when the time is up
        Thread worker = Thread.currentThread();
        AtomicBoolean timedOut = new AtomicBoolean();
        ScheduledFuture<?> watchdog = timer.schedule(() -> {
            timedOut.set(true);
            worker.interrupt();
        }, timeout, TimeUnit.SECONDS);
        Exchange result;
        try {
            result = template.send(uri, e -> {
                e.getIn().setBody(job.data());
                e.getIn().setHeader(JOB_ID, job.id());
                e.getIn().setHeader(JOB_TYPE, job.type());
                e.getIn().setHeader(JOB_QUEUE, exchange.getProperty(JobRetries.QUEUE));
                e.getIn().setHeader(JOB_ATTEMPT, attempt);
            });
        } finally {
            watchdog.cancel(false);
            // a late interrupt must not leak into the next job
            Thread.interrupted();
        }
        if (timedOut.get()) {
            throw new JobTimeoutException(job.id(), timeout);
        }
        if (result.getException() != null) {
            throw result.getException();
        }
    }

    /** Whether a route handles jobs of this type now. */
    public boolean handles(String type) {
        return handlerUri(type) != null;
    }

    /** {@code direct:job-<type>} while a route consumes it, else null. */
    private String handlerUri(String type) {
        if (!TYPE.matcher(type).matches()) {
            return null;
        }
        String uri = "direct://job-" + type;
        for (Route route : camel.getRoutes()) {
            if (uri.equals(route.getEndpoint().getEndpointUri())) {
                return uri;
            }
        }
        return null;
    }
}
