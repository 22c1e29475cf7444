package hub.jobs;

import java.util.Arrays;

import javax.sql.DataSource;

import hub.StrategyConfiguration;
import org.apache.camel.BindToRegistry;
import org.apache.camel.Configuration;
import org.apache.camel.PropertyInject;

/** The job queue's beans (strategy 1), configured from {@code hub.queue.*}. */
@Configuration
public class QueueConfiguration extends StrategyConfiguration {

    @PropertyInject("hub.queue.names")
    private String queues;
    @PropertyInject("hub.queue.default-max-tries")
    private int defaultMaxTries;
    @PropertyInject("hub.queue.default-backoff")
    private String defaultBackoff;
    @PropertyInject("hub.queue.default-timeout")
    private int defaultTimeout;
    @PropertyInject("hub.errors.transient.initial-delay-ms")
    private long transientDelayMs;
    @PropertyInject("hub.errors.transient.maximum-delay-ms")
    private long transientMaxDelayMs;

    @BindToRegistry
    public JobRetries jobRetries() {
        return new JobRetries(defaultMaxTries, Arrays.stream(defaultBackoff.split(","))
                .map(String::strip).filter(s -> !s.isEmpty()).map(Integer::valueOf).toList(), transientDelayMs,
                transientMaxDelayMs);
    }

    @BindToRegistry
    public JobHandlers jobHandlers() {
        return once("jobHandlers", () -> {
            JobHandlers handlers = new JobHandlers(getCamelContext(), defaultTimeout);
            try {
                getCamelContext().addService(handlers, true, true);
            } catch (Exception e) {
                throw new IllegalStateException("job handlers did not start", e);
            }
            return handlers;
        });
    }

    @BindToRegistry
    public JobLedger jobLedger() {
        return new JobLedger(dataSource());
    }

    @BindToRegistry
    public ProcessOrderEventHandler processOrderEvent() {
        return new ProcessOrderEventHandler(dataSource());
    }

    @BindToRegistry
    public FailedJobs failedJobs() {
        return new FailedJobs(dataSource());
    }

    @BindToRegistry
    public QueueMetrics queueMetrics() {
        return new QueueMetrics(getCamelContext());
    }

    @BindToRegistry
    public JobsApi jobsApi() {
        return new JobsApi(Queues.names(queues), bean("failedJobs", FailedJobs.class), bean("jobHandlers", JobHandlers.class),
                getCamelContext());
    }

    private DataSource dataSource() {
        return bean("dataSource", DataSource.class);
    }
}
