package hub.kafka;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/** Where consumer groups are: committed offset and lag per partition, asked of the broker. */
public class ConsumerLag implements AutoCloseable {

    /** One partition of a group: its committed offset and how many records are behind the end. */
    public record Position(TopicPartition partition, long committed, long lag) {
    }

    private final Properties config;
    private Admin admin;

    public ConsumerLag(Properties adminConfig) {
        this.config = adminConfig;
    }

    /** The group's partitions with a committed offset, on any topic. */
    public synchronized List<Position> of(String group) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> committed = admin().listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata().get(5, TimeUnit.SECONDS);
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        committed.keySet().forEach(tp -> latest.put(tp, OffsetSpec.latest()));
        return positions(committed, latest);
    }

    /** The group on one topic, every partition included (one with nothing committed is at 0). */
    public synchronized Map<String, Object> of(String group, String topic) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> committed = admin().listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata().get(5, TimeUnit.SECONDS);
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        admin().describeTopics(List.of(topic)).allTopicNames().get(5, TimeUnit.SECONDS).get(topic).partitions()
                .forEach(p -> latest.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
        Map<Integer, Long> position = new TreeMap<>();
        long lag = 0;
        for (Position p : positions(committed, latest)) {
            position.put(p.partition().partition(), p.committed());
            lag += p.lag();
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("group", group);
        answer.put("position", position);
        answer.put("lag", lag);
        return answer;
    }

    private List<Position> positions(Map<TopicPartition, OffsetAndMetadata> committed,
            Map<TopicPartition, OffsetSpec> latest) throws Exception {
        if (latest.isEmpty()) {
            return List.of();
        }
        return admin().listOffsets(latest).all().get(5, TimeUnit.SECONDS).entrySet().stream().map(end -> {
            OffsetAndMetadata done = committed.get(end.getKey());
            long at = done == null ? 0 : done.offset();
            return new Position(end.getKey(), at, Math.max(0, end.getValue().offset() - at));
        }).toList();
    }

    private Admin admin() {
        if (admin == null) {
            admin = Admin.create(config);
        }
        return admin;
    }

    @Override
    public synchronized void close() {
        if (admin != null) {
            admin.close();
        }
    }
}
