package hub.jobs;

import java.util.Arrays;
import java.util.List;

import javax.sql.DataSource;

import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.apache.camel.Configuration;
import org.apache.camel.PropertyInject;

/** The job queue's beans (strategy 1), configured from {@code hub.queue.*}. */
@Configuration
public class QueueConfiguration implements CamelConfiguration, CamelContextAware {

    @PropertyInject("hub.queue.names")
    private String queues;
    @PropertyInject("hub.queue.default-max-tries")
    private int defaultMaxTries;
    @PropertyInject("hub.queue.default-backoff")
    private String defaultBackoff;
    @PropertyInject("hub.queue.default-timeout")
    private int defaultTimeout;
    @PropertyInject("hub.queue.handlers")
    private String handlerFiles;

    private CamelContext camel;

    @BindToRegistry
    public JobRetries jobRetries() {
        return new JobRetries(defaultMaxTries, Arrays.stream(defaultBackoff.split(","))
                .map(String::strip).filter(s -> !s.isEmpty()).map(Integer::valueOf).toList());
    }

    @BindToRegistry
    public JobHandlers jobHandlers() throws Exception {
        JobHandlers handlers = new JobHandlers(camel, handlerFiles, defaultTimeout);
        camel.addService(handlers, true, true);
        return handlers;
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
        return new QueueMetrics(camel);
    }

    @BindToRegistry
    public JobsApi jobsApi() {
        return new JobsApi(queueNames(), camel.getRegistry().lookupByNameAndType("failedJobs", FailedJobs.class), camel);
    }

    private List<String> queueNames() {
        return Arrays.stream(queues.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    private DataSource dataSource() {
        return camel.getRegistry().lookupByNameAndType("dataSource", DataSource.class);
    }

    @Override
    public void setCamelContext(CamelContext camelContext) {
        this.camel = camelContext;
    }

    @Override
    public CamelContext getCamelContext() {
        return camel;
    }
}
