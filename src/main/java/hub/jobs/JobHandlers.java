package hub.jobs;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.support.ResourceHelper;
import org.apache.camel.support.service.ServiceSupport;

/**
 * The job-type registry (YAML files of {@code type: endpoint-uri}) and the runner that calls a job's
 * handler with its timeout.
 */
public class JobHandlers extends ServiceSupport {

    public static final String JOB_ID = "job-id";
    public static final String JOB_TYPE = "job-type";
    public static final String JOB_QUEUE = "job-queue";
    public static final String JOB_ATTEMPT = "job-attempt";

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private final CamelContext camel;
    private final String locations;
    private final int defaultTimeoutSeconds;
    private final Map<String, String> handlers = new LinkedHashMap<>();
    private ProducerTemplate template;
    private ScheduledExecutorService timer;

    public JobHandlers(CamelContext camel, String locations, int defaultTimeoutSeconds) {
        this.camel = camel;
        this.locations = locations;
        this.defaultTimeoutSeconds = defaultTimeoutSeconds;
    }

    @Override
    protected void doStart() throws IOException {
        for (String location : Arrays.stream(locations.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList()) {
            try (InputStream in = ResourceHelper.resolveMandatoryResourceAsInputStream(camel, location)) {
                JsonNode file = YAML.readTree(in).path("handlers");
                file.fields().forEachRemaining(e -> handlers.put(e.getKey(), e.getValue().asText()));
            }
        }
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
        String uri = handlers.get(job.type());
        if (uri == null) {
            throw new UnknownJobTypeException(job.type());
        }
        int attempt = 1 + exchange.getIn().getHeader(Exchange.REDELIVERY_COUNTER, 0, Integer.class);
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
}
