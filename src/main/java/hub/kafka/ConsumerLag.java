package hub.kafka;

import java.util.Collection;
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

/**
 * Where a consumer group is on its topics: committed offset and lag per partition, asked of the broker. A
 * partition the group has not committed yet is read from its earliest offset, so all of it is lag.
 */
public class ConsumerLag implements AutoCloseable {

    /** One partition of a group: the offset it will read next and how many records are behind the end. */
    public record Position(TopicPartition partition, long committed, long lag) {
    }

    private final Properties config;
    private Admin admin;

    public ConsumerLag(Properties adminConfig) {
        this.config = adminConfig;
    }

    public synchronized List<Position> of(String group, Collection<String> topics) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> committed = admin().listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata().get(5, TimeUnit.SECONDS);
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        Map<TopicPartition, OffsetSpec> earliest = new HashMap<>();
        admin().describeTopics(topics).allTopicNames().get(5, TimeUnit.SECONDS).forEach((topic, description) ->
                description.partitions().forEach(p -> {
                    TopicPartition tp = new TopicPartition(topic, p.partition());
                    latest.put(tp, OffsetSpec.latest());
                    if (committed.get(tp) == null) {
                        earliest.put(tp, OffsetSpec.earliest());
                    }
                }));
        var ends = admin().listOffsets(latest).all().get(5, TimeUnit.SECONDS);
        var starts = earliest.isEmpty() ? Map.<TopicPartition, org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo>of()
                : admin().listOffsets(earliest).all().get(5, TimeUnit.SECONDS);
        return ends.entrySet().stream().map(end -> {
            OffsetAndMetadata done = committed.get(end.getKey());
            long at = done != null ? done.offset() : starts.get(end.getKey()).offset();
            return new Position(end.getKey(), at, Math.max(0, end.getValue().offset() - at));
        }).toList();
    }

    /** The group on one topic: {@code {"group", "position": {partition: offset}, "lag"}}. */
    public Map<String, Object> of(String group, String topic) throws Exception {
        Map<Integer, Long> position = new TreeMap<>();
        long lag = 0;
        for (Position p : of(group, List.of(topic))) {
            position.put(p.partition().partition(), p.committed());
            lag += p.lag();
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("group", group);
        answer.put("position", position);
        answer.put("lag", lag);
        return answer;
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
