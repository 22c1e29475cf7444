package hub.jobs;

import java.time.Duration;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;

/**
 * Per-queue metrics: {@code kafka_messages_processed_total{topic}},
 * {@code kafka_message_processing_duration_seconds{topic}} (histogram), and failed, retried and duplicate
 * counters.
 */
public class QueueMetrics {

    private static final String STARTED = "hub.job.started";

    private final CamelContext camel;

    public QueueMetrics(CamelContext camel) {
        this.camel = camel;
    }

    public void started(Exchange exchange) {
        exchange.setProperty(STARTED, System.nanoTime());
    }

    public void processed(Exchange exchange) {
        finished(exchange, "kafka.messages.processed");
    }

    public void failed(Exchange exchange) {
        finished(exchange, "kafka.messages.failed");
    }

    public void duplicate(Exchange exchange) {
        count(exchange, "kafka.messages.duplicate");
    }

    public void retried(Exchange exchange) {
        count(exchange, "kafka.messages.retried");
    }

    private void finished(Exchange exchange, String counter) {
        count(exchange, counter);
        Long started = exchange.getProperty(STARTED, Long.class);
        MeterRegistry registry = registry();
        if (started != null && registry != null) {
            Timer.builder("kafka.message.processing.duration").tag("topic", topic(exchange))
                    .publishPercentileHistogram().register(registry)
                    .record(Duration.ofNanos(System.nanoTime() - started));
        }
    }

    private void count(Exchange exchange, String name) {
        MeterRegistry registry = registry();
        if (registry != null) {
            Counter.builder(name).tag("topic", topic(exchange)).register(registry).increment();
        }
    }

    private static String topic(Exchange exchange) {
        return exchange.getProperty(JobRetries.QUEUE, "unknown", String.class);
    }

    private MeterRegistry registry() {
        return camel.getRegistry().lookupByNameAndType("metricsRegistry", MeterRegistry.class);
    }
}
