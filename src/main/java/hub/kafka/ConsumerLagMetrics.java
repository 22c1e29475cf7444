package hub.kafka;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import org.apache.camel.CamelContext;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes each of the hub's consumer groups' lag per topic and partition as the Prometheus gauge
 * {@code kafka_consumer_lag{group, topic, partition}}, asked of the broker at a fixed interval: the broker's
 * committed offsets are what a restarted or rebalanced consumer would start from.
 */
public class ConsumerLagMetrics extends ServiceSupport {

    private static final Logger LOG = LoggerFactory.getLogger(ConsumerLagMetrics.class);

    private final CamelContext camel;
    private final ConsumerLag lag;
    private final List<String> groups;
    private final long intervalSeconds;
    private final Supplier<MeterRegistry> metrics;
    private final Map<String, AtomicLong> gauges = new ConcurrentHashMap<>();
    private ScheduledExecutorService scheduler;

    public ConsumerLagMetrics(CamelContext camel, ConsumerLag lag, List<String> groups, long intervalSeconds,
            Supplier<MeterRegistry> metrics) {
        this.camel = camel;
        this.lag = lag;
        this.groups = groups;
        this.intervalSeconds = intervalSeconds;
        this.metrics = metrics;
    }

    @Override
    protected void doStart() {
        scheduler = camel.getExecutorServiceManager().newSingleThreadScheduledExecutor(this, "consumer-lag-metrics");
        scheduler.scheduleWithFixedDelay(this::update, 0, intervalSeconds, TimeUnit.SECONDS);
    }

    @Override
    protected void doStop() {
        if (scheduler != null) {
            camel.getExecutorServiceManager().shutdown(scheduler);
        }
    }

    void update() {
        MeterRegistry registry = metrics.get();
        if (registry == null) {
            return;
        }
        for (String group : groups) {
            try {
                for (ConsumerLag.Position p : lag.of(group)) {
                    String topic = p.partition().topic();
                    String partition = String.valueOf(p.partition().partition());
                    gauges.computeIfAbsent(group + "/" + topic + "/" + partition, k -> registry.gauge("kafka.consumer.lag",
                            Tags.of("group", group, "topic", topic, "partition", partition), new AtomicLong()))
                            .set(p.lag());
                }
            } catch (Exception e) {
                // the broker down is health's business; the gauges keep their last value meanwhile
                LOG.debug("Could not read the lag of group {}: {}", group, e.toString());
            }
        }
    }
}
