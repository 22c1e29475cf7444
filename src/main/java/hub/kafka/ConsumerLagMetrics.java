package hub.kafka;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.component.kafka.KafkaEndpoint;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes the lag of every Kafka consumer route's group on its topics, per partition, as the Prometheus
 * gauge {@code kafka_consumer_lag{group, topic, partition}}, asked of the broker at a fixed interval: the
 * broker's committed offsets are what a restarted or rebalanced consumer would start from. The groups and
 * topics come from the routes themselves, so a route added later is measured too.
 */
public class ConsumerLagMetrics extends ServiceSupport {

    private static final Logger LOG = LoggerFactory.getLogger(ConsumerLagMetrics.class);

    private final CamelContext camel;
    private final ConsumerLag lag;
    private final long intervalSeconds;
    private final Supplier<MeterRegistry> metrics;
    private final Map<String, AtomicLong> gauges = new ConcurrentHashMap<>();
    private ScheduledExecutorService scheduler;

    public ConsumerLagMetrics(CamelContext camel, ConsumerLag lag, long intervalSeconds, Supplier<MeterRegistry> metrics) {
        this.camel = camel;
        this.lag = lag;
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
        for (var group : consumedTopics().entrySet()) {
            try {
                for (ConsumerLag.Position p : lag.of(group.getKey(), group.getValue())) {
                    String topic = p.partition().topic();
                    String partition = String.valueOf(p.partition().partition());
                    gauges.computeIfAbsent(group.getKey() + "/" + topic + "/" + partition, k -> registry.gauge(
                            "kafka.consumer.lag", Tags.of("group", group.getKey(), "topic", topic, "partition", partition),
                            new AtomicLong())).set(p.lag());
                }
            } catch (Exception e) {
                // the broker down is health's business; the gauges keep their last value meanwhile
                LOG.debug("Could not read the lag of group {}: {}", group.getKey(), e.toString());
            }
        }
    }

    /** Group to topics, from the routes' Kafka consumer endpoints. */
    private Map<String, Set<String>> consumedTopics() {
        Map<String, Set<String>> topics = new TreeMap<>();
        for (Route route : camel.getRoutes()) {
            if (route.getEndpoint() instanceof KafkaEndpoint kafka && kafka.getConfiguration().getGroupId() != null
                    && !kafka.getConfiguration().isTopicIsPattern()) {
                for (String topic : kafka.getConfiguration().getTopic().split(",")) {
                    topics.computeIfAbsent(kafka.getConfiguration().getGroupId(), g -> new TreeSet<>()).add(topic.trim());
                }
            }
        }
        return topics;
    }
}
