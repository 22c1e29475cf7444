package hub.events;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicLong;

import javax.sql.DataSource;

import hub.api.ApiException;
import hub.errors.PoisonMessageException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Rebuilds {@code order_projection} by replaying {@code order-events} from the beginning into a shadow table
 * while the live table keeps serving, then swaps the two with one atomic {@code RENAME TABLE}, then replays
 * what arrived meanwhile into the new live table. The live projector keeps running throughout: both write
 * with the forward-only upsert, so whichever is ahead wins and nothing the old table got is missed.
 * <p>
 * The replay reads with its own consumer that is assigned every partition and belongs to no group: it is a
 * one-off scan from offset 0 and must not move the live projector's committed offsets.
 */
public class ProjectionRebuild {

    public static final String SHADOW_TABLE = OrderProjector.LIVE_TABLE + "_rebuild";
    private static final String OLD_TABLE = OrderProjector.LIVE_TABLE + "_old";

    private static final Logger LOG = LoggerFactory.getLogger(ProjectionRebuild.class);

    private final OrderProjector projector;
    private final OrderEvents events;
    private final JdbcTemplate jdbc;
    private final Properties consumer;
    private final String topic;
    private final ExecutorService executor;
    private final int memoryOrders;
    private final int writeEvery;

    private volatile String phase = "idle";
    private volatile Instant startedAt;
    private volatile Instant finishedAt;
    private volatile String error;
    private final AtomicLong replayed = new AtomicLong();
    private final AtomicLong invalid = new AtomicLong();
    private final Map<Integer, Long> position = new java.util.concurrent.ConcurrentHashMap<>();
    private final Map<Integer, Long> end = new java.util.concurrent.ConcurrentHashMap<>();

    public ProjectionRebuild(OrderProjector projector, OrderEvents events, DataSource dataSource, Properties kafka,
            String topic, int batch, int memoryOrders, int writeEvery, ExecutorService executor) {
        this.projector = projector;
        this.events = events;
        this.jdbc = new JdbcTemplate(dataSource);
        this.topic = topic;
        this.executor = executor;
        this.memoryOrders = memoryOrders;
        this.writeEvery = writeEvery;
        consumer = new Properties();
        consumer.putAll(kafka);
        consumer.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        consumer.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        consumer.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        consumer.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, batch);
        consumer.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, 64 * 1024 * 1024);
        consumer.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 16 * 1024 * 1024);
        consumer.put(ConsumerConfig.CLIENT_ID_CONFIG, "order-hub-projection-rebuild");
    }

    /** Starts a rebuild in the background; 409 while one runs. */
    public synchronized Map<String, Object> start() {
        if (running()) {
            throw new ApiException(409, "a rebuild of " + OrderProjector.LIVE_TABLE + " is already running (" + phase + ")");
        }
        phase = "replaying";
        startedAt = Instant.now();
        finishedAt = null;
        error = null;
        replayed.set(0);
        invalid.set(0);
        position.clear();
        end.clear();
        executor.submit(this::run);
        return status();
    }

    public boolean running() {
        return !List.of("idle", "done", "failed").contains(phase);
    }

    public Map<String, Object> status() {
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("phase", phase);
        status.put("started_at", startedAt == null ? null : startedAt.toString());
        status.put("finished_at", finishedAt == null ? null : finishedAt.toString());
        status.put("events", replayed.get());
        status.put("invalid_events", invalid.get());
        status.put("events_per_second", Math.round(eventsPerSecond()));
        status.put("position", new LinkedHashMap<>(position));
        long lag = 0;
        for (var e : end.entrySet()) {
            lag += Math.max(0, e.getValue() - position.getOrDefault(e.getKey(), 0L));
        }
        status.put("lag", lag);
        if (error != null) {
            status.put("error", error);
        }
        return status;
    }

    private double eventsPerSecond() {
        if (startedAt == null) {
            return 0;
        }
        Instant until = finishedAt == null ? Instant.now() : finishedAt;
        double seconds = Math.max(0.001, Duration.between(startedAt, until).toNanos() / 1e9);
        return replayed.get() / seconds;
    }

    private void run() {
        try {
            jdbc.execute("DROP TABLE IF EXISTS " + SHADOW_TABLE);
            jdbc.execute("CREATE TABLE " + SHADOW_TABLE + " LIKE " + OrderProjector.LIVE_TABLE);
            jdbc.update("DELETE FROM projection_parked WHERE projection = ?", SHADOW_TABLE);
            try (KafkaConsumer<String, String> kafka = new KafkaConsumer<>(consumer)) {
                List<TopicPartition> partitions = kafka.partitionsFor(topic).stream()
                        .map(p -> new TopicPartition(topic, p.partition())).toList();
                kafka.assign(partitions);
                kafka.seekToBeginning(partitions);
                // the shadow table is ours alone until the swap: no need to read back what we wrote, and an
                // order is written once for all its events that arrive before the next write
                OrderProjector.Replay memory = new OrderProjector.Replay(memoryOrders, writeEvery);
                replay(kafka, partitions, SHADOW_TABLE, memory);
                projector.flush(SHADOW_TABLE, memory);

                phase = "swapping";
                jdbc.execute("DROP TABLE IF EXISTS " + OLD_TABLE);
                jdbc.execute("RENAME TABLE " + OrderProjector.LIVE_TABLE + " TO " + OLD_TABLE + ", "
                        + SHADOW_TABLE + " TO " + OrderProjector.LIVE_TABLE);
                jdbc.execute("DROP TABLE " + OLD_TABLE);
                jdbc.update("DELETE FROM projection_parked WHERE projection = ?", OrderProjector.LIVE_TABLE);
                jdbc.update("UPDATE projection_parked SET projection = ? WHERE projection = ?",
                        OrderProjector.LIVE_TABLE, SHADOW_TABLE);

                // what the live projector put into the old table after our end offsets
                phase = "catching-up";
                replay(kafka, partitions, OrderProjector.LIVE_TABLE, null);
            }
            finishedAt = Instant.now();
            phase = "done";
            LOG.info("Rebuilt {} from {} events in {} ms ({} events/s)", OrderProjector.LIVE_TABLE, replayed.get(),
                    Duration.between(startedAt, finishedAt).toMillis(), Math.round(eventsPerSecond()));
        } catch (Exception e) {
            finishedAt = Instant.now();
            error = e.getClass().getSimpleName() + ": " + e.getMessage();
            phase = "failed";
            LOG.error("Rebuild of {} failed; the live table is untouched unless the swap was done", OrderProjector.LIVE_TABLE, e);
        }
    }

    /** Reads every partition up to its end offset as of now and projects it into {@code table}. */
    private void replay(KafkaConsumer<String, String> kafka, List<TopicPartition> partitions, String table,
            OrderProjector.Replay memory) {
        kafka.endOffsets(partitions).forEach((tp, offset) -> end.put(tp.partition(), offset));
        partitions.forEach(tp -> position.put(tp.partition(), kafka.position(tp)));
        while (partitions.stream().anyMatch(tp -> position.get(tp.partition()) < end.get(tp.partition()))) {
            List<OrderEvent> batch = new ArrayList<>();
            for (ConsumerRecord<String, String> record : kafka.poll(Duration.ofMillis(500))) {
                try {
                    batch.add(events.decode(record.value()));
                } catch (PoisonMessageException e) {
                    invalid.incrementAndGet(); // the live consumers dead-lettered it when it arrived
                }
            }
            projector.project(table, batch, memory);
            replayed.addAndGet(batch.size());
            partitions.forEach(tp -> position.put(tp.partition(), kafka.position(tp)));
        }
    }
}
