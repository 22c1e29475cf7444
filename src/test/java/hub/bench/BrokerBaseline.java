package hub.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * The broker's own figures, which the hub's cannot beat: plain kafka-clients produce and consume on the same
 * broker, a topic of the hub's partition count, records of {@code bench.record-bytes} (256, the size of the
 * strategies' JSON messages), one producer (the benchmarks' settings) and one consumer thread.
 *
 * <p>Throughput: {@code bench.baseline-records} records sent as fast as the producer goes, from the first send
 * to the last record consumed. Latency: {@code bench.baseline-rate} records/s for {@code bench.baseline-seconds},
 * from each send to its poll in the consumer (one clock: same JVM).
 */
public final class BrokerBaseline {

    private static final int RECORD_BYTES = Integer.getInteger("bench.record-bytes", 256);
    private static final int RECORDS = Integer.getInteger("bench.baseline-records", 200_000);
    private static final int RATE = Integer.getInteger("bench.baseline-rate", 1000);
    private static final int SECONDS = Integer.getInteger("bench.baseline-seconds", 10);
    private static final int PARTITIONS = 3;

    private BrokerBaseline() {
    }

    public static void main(String[] args) {
        BenchSupport.runAndExit(BrokerBaseline::measure);
    }

    static List<BenchSupport.Figure> measure(Map<String, String> services) throws Exception {
        String brokers = services.get("hub.kafka.brokers");
        String topic = "bench-baseline-" + UUID.randomUUID().toString().substring(0, 8);
        Properties admin = new Properties();
        admin.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, brokers);
        try (Admin client = Admin.create(admin)) {
            client.createTopics(List.of(new NewTopic(topic, PARTITIONS, (short) 1))).all().get();
        }
        // the payload's first 19 characters carry the send time; the rest pads the record to its size
        String padding = "x".repeat(RECORD_BYTES - 20);
        try (KafkaProducer<String, String> producer = BenchSupport.producer(services);
             Consumer consumer = new Consumer(brokers, topic)) {
            consumer.start();
            // warm-up: the JIT compiles both clients' paths, metadata is fetched
            send(producer, topic, padding, 20_000, 0);
            consumer.await(20_000);

            long begin = System.nanoTime();
            send(producer, topic, padding, RECORDS, 0);
            consumer.await(20_000 + RECORDS);
            double recordsPerSecond = RECORDS / ((consumer.lastSeen - begin) / 1e9);

            consumer.latencies.clear();
            send(producer, topic, padding, RATE * SECONDS, RATE);
            consumer.await(20_000 + RECORDS + RATE * SECONDS);
            List<Long> latencies = new ArrayList<>(consumer.latencies);
            Collections.sort(latencies);
            double p50 = BenchSupport.percentile(latencies, 0.5) / 1e6;
            double p99 = BenchSupport.percentile(latencies, 0.99) / 1e6;

            System.out.printf("%nBroker baseline (%s): %d-byte records, %d partitions, %,d drained, then %d/s for %d s%n",
                    BenchSupport.machine(), RECORD_BYTES, PARTITIONS, RECORDS, RATE, SECONDS);
            System.out.printf("%-40s %12s %10s %10s%n", "measure", "records/s", "p50 ms", "p99 ms");
            System.out.printf("%-40s %12.0f %10.1f %10.1f%n", "kafka-clients produce -> consume", recordsPerSecond,
                    p50, p99);
            return List.of(new BenchSupport.Figure("broker baseline",
                    "kafka-clients produce -> consume, %d B records (latency at %d/s)".formatted(RECORD_BYTES, RATE),
                    recordsPerSecond, "records", p50, p99));
        }
    }

    /** {@code count} records, paced at {@code rate}/s, or as fast as the producer takes them when rate is 0. */
    private static void send(KafkaProducer<String, String> producer, String topic, String padding, int count, int rate)
            throws InterruptedException {
        long start = System.nanoTime();
        for (int i = 0; i < count; i++) {
            if (rate > 0) {
                long wait = start + (long) (i * 1e9 / rate) - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
            }
            producer.send(new ProducerRecord<>(topic, "k" + (i % 64), String.format("%019d", System.nanoTime()) + padding));
        }
        producer.flush();
    }

    /** Reads every partition from the start; notes each record's latency and when the last one came. */
    private static final class Consumer extends Thread implements AutoCloseable {

        private final KafkaConsumer<String, String> consumer;
        private final String topic;
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
        private final CountDownLatch assigned = new CountDownLatch(1);
        private volatile long seen;
        private volatile long lastSeen;

        Consumer(String brokers, String topic) {
            super("baseline-consumer");
            Properties p = new Properties();
            p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers);
            p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
            p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
            this.consumer = new KafkaConsumer<>(p);
            this.topic = topic;
        }

        @Override
        public void start() {
            super.start();
            try {
                assigned.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public void run() {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(i -> new TopicPartition(topic, i.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            partitions.forEach(consumer::position);
            assigned.countDown();
            while (running.get()) {
                var records = consumer.poll(Duration.ofMillis(100));
                long now = System.nanoTime();
                for (ConsumerRecord<String, String> record : records) {
                    latencies.add(now - Long.parseLong(record.value().substring(0, 19)));
                }
                if (!records.isEmpty()) {
                    seen += records.count();
                    lastSeen = now;
                }
            }
            consumer.close();
        }

        void await(long count) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
            while (seen < count) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("baseline consumer saw " + seen + " of " + count + " records");
                }
                Thread.sleep(20);
            }
        }

        @Override
        public void close() throws InterruptedException {
            running.set(false);
            join();
        }
    }
}
