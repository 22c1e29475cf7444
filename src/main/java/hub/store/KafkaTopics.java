package hub.store;

import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.apache.camel.support.service.ServiceSupport;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the topics the hub reads and writes when they are missing, before any route starts: a consumer
 * subscribed to a topic that does not exist yet would only notice it at its next metadata refresh.
 */
public class KafkaTopics extends ServiceSupport {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaTopics.class);

    private final Properties admin;
    private final List<String> topics;
    private final int partitions;
    private final short replicationFactor;

    public KafkaTopics(Properties admin, List<String> topics, int partitions, short replicationFactor) {
        this.admin = admin;
        this.topics = topics;
        this.partitions = partitions;
        this.replicationFactor = replicationFactor;
    }

    @Override
    protected void doStart() throws Exception {
        try (Admin client = Admin.create(admin)) {
            Set<String> existing = client.listTopics().names().get(30, TimeUnit.SECONDS);
            List<NewTopic> missing = topics.stream().distinct().filter(t -> !existing.contains(t))
                    .map(t -> new NewTopic(t, Optional.of(partitions), Optional.of(replicationFactor))).toList();
            for (var created : client.createTopics(missing).values().entrySet()) {
                try {
                    created.getValue().get(30, TimeUnit.SECONDS);
                    LOG.info("Created Kafka topic {} ({} partitions)", created.getKey(), partitions);
                } catch (ExecutionException e) {
                    // another replica created it first
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                }
            }
        }
    }
}
