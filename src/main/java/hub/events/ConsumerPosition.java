package hub.events;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/** Where a consumer group is on a topic: committed offset and lag per partition, from the broker. */
public class ConsumerPosition implements AutoCloseable {

    private final Properties config;
    private Admin admin;

    public ConsumerPosition(Properties adminConfig) {
        this.config = adminConfig;
    }

    public synchronized Map<String, Object> of(String group, String topic) throws Exception {
        if (admin == null) {
            admin = Admin.create(config);
        }
        Map<TopicPartition, OffsetAndMetadata> committed =
                admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get(5, TimeUnit.SECONDS);
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        admin.describeTopics(java.util.List.of(topic)).allTopicNames().get(5, TimeUnit.SECONDS).get(topic).partitions()
                .forEach(p -> latest.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
        Map<Integer, Long> position = new TreeMap<>();
        long lag = 0;
        for (var end : admin.listOffsets(latest).all().get(5, TimeUnit.SECONDS).entrySet()) {
            OffsetAndMetadata done = committed.get(end.getKey());
            long at = done == null ? 0 : done.offset();
            position.put(end.getKey().partition(), at);
            lag += Math.max(0, end.getValue().offset() - at);
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("group", group);
        answer.put("position", position);
        answer.put("lag", lag);
        return answer;
    }

    @Override
    public synchronized void close() {
        if (admin != null) {
            admin.close();
        }
    }
}
