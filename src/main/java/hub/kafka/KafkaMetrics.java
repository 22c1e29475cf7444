package hub.kafka;

import java.lang.management.ManagementFactory;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import javax.management.MBeanServer;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.component.kafka.KafkaEndpoint;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The hub's Kafka metrics, refreshed at a fixed interval. Records per topic and client (below), and the lag of
 * every Kafka consumer route's group on its topics, per partition, as the Prometheus
 * gauge {@code kafka_consumer_lag{group, topic, partition}}, asked of the broker at a fixed interval: the
 * broker's committed offsets are what a restarted or rebalanced consumer would start from. The groups and
 * topics come from the routes themselves, so a route added later is measured too.
 */
public class KafkaMetrics extends ServiceSupport {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaMetrics.class);
    /** the Kafka clients' per-topic MBeans, and the running total each keeps */
    private static final Map<ObjectName, String> TOPIC_METRICS = Map.of(
            objectName("kafka.consumer:type=consumer-fetch-manager-metrics,client-id=*,topic=*"), "records-consumed-total",
            objectName("kafka.producer:type=producer-topic-metrics,client-id=*,topic=*"), "record-send-total");

    private final CamelContext camel;
    private final ConsumerLag lag;
    private final long intervalSeconds;
    private final Supplier<MeterRegistry> metrics;
    private final Map<String, AtomicLong> gauges = new ConcurrentHashMap<>();
    private final Map<ObjectName, Meter> topicCounters = new ConcurrentHashMap<>();
    private final MBeanServer jmx = ManagementFactory.getPlatformMBeanServer();
    private ScheduledExecutorService scheduler;

    public KafkaMetrics(CamelContext camel, ConsumerLag lag, long intervalSeconds, Supplier<MeterRegistry> metrics) {
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
        updateTopicCounters(registry);
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

    /**
     * {@code kafka_records_total{direction, topic, client_id}}: what each of the hub's Kafka clients consumed and
     * produced per topic, read from the clients' own JMX metrics, so counting costs nothing per record. A client
     * that is gone (its route stopped or reloaded) takes its counters with it.
     */
    private void updateTopicCounters(MeterRegistry registry) {
        Set<ObjectName> seen = new HashSet<>();
        for (var source : TOPIC_METRICS.entrySet()) {
            for (ObjectName name : jmx.queryNames(source.getKey(), null)) {
                seen.add(name);
                topicCounters.computeIfAbsent(name, n -> FunctionCounter.builder("kafka.records", jmx,
                                server -> attribute(server, n, source.getValue()))
                        .description("records per topic and client, from the Kafka client's metrics")
                        .tags("direction", n.getDomain().endsWith("producer") ? "produced" : "consumed",
                                "topic", n.getKeyProperty("topic"), "client_id", n.getKeyProperty("client-id"))
                        .register(registry));
            }
        }
        topicCounters.entrySet().removeIf(e -> {
            if (seen.contains(e.getKey())) {
                return false;
            }
            registry.remove(e.getValue());
            return true;
        });
    }

    private static double attribute(MBeanServer server, ObjectName name, String attribute) {
        try {
            return ((Number) server.getAttribute(name, attribute)).doubleValue();
        } catch (Exception e) {
            return Double.NaN;
        }
    }

    /** Group to topics, from the routes' Kafka consumer endpoints. */
    private static ObjectName objectName(String pattern) {
        try {
            return new ObjectName(pattern);
        } catch (MalformedObjectNameException e) {
            throw new IllegalArgumentException(pattern, e);
        }
    }

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
