package hub.bench;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

import hub.jobs.JobEnvelope;
import hub.jobs.JobEnvelopes;
import org.apache.camel.main.Main;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Jobs/s and job latency through the hub's queue route, against a plain kafka-clients consumer loop doing
 * the same work (parse the job, check the ledger, write processed_jobs and the ledger, commit after the
 * work) on the same broker and database, in the same run. One consumer thread each.
 *
 * <p>Warm-up: {@code bench.warmup} jobs through each path first. Throughput: {@code bench.jobs} jobs are
 * produced at once, then drained; the rate is taken between the first and last processed_at. Latency: {@code bench.rate} jobs/s for {@code bench.seconds} seconds while
 * the consumer runs, from the producer's send to processed_at.
 */
public final class QueueBenchmark {

    private static final int JOBS = Integer.getInteger("bench.jobs", 5000);
    private static final int WARMUP = Integer.getInteger("bench.warmup", 2000);
    private static final int RATE = Integer.getInteger("bench.rate", 200);
    private static final int SECONDS = Integer.getInteger("bench.seconds", 10);

    private QueueBenchmark() {
    }

    public static void main(String[] args) {
        BenchSupport.runAndExit(QueueBenchmark::measure);
    }

    static List<BenchSupport.Figure> measure(Map<String, String> props) throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        Main hub = startHub(props, "bench-hub-" + run);
        try (KafkaProducer<String, String> producer = BenchSupport.producer(props);
             Connection db = BenchSupport.connect(props)) {
            Result plain = measure("plain kafka-clients loop", "bench-plain-" + run, producer, db,
                    topic -> new PlainLoop(props, topic));
            Result viaHub = measure("hub route queue-process-jobs", "bench-hub-" + run, producer, db,
                    topic -> null);
            System.out.printf("%nQueue benchmark (%s): %d jobs drained, then %d jobs/s for %d s%n",
                    BenchSupport.machine(), JOBS, RATE, SECONDS);
            System.out.printf("%-32s %10s %10s %10s%n", "path", "jobs/s", "p50 ms", "p99 ms");
            for (Result r : List.of(plain, viaHub)) {
                System.out.printf("%-32s %10.0f %10d %10d%n", r.name, r.jobsPerSecond, r.p50, r.p99);
            }
            System.out.printf("%-32s %10.2f%n", "ratio hub / plain (jobs/s)", viaHub.jobsPerSecond / plain.jobsPerSecond);
            return List.of(
                    new BenchSupport.Figure("queue", "route queue-process-jobs, %d queued; latency at %d jobs/s"
                            .formatted(JOBS, RATE), viaHub.jobsPerSecond, "jobs", viaHub.p50, viaHub.p99),
                    new BenchSupport.Figure("queue", "same work in a hand-written kafka-clients + JDBC loop",
                            plain.jobsPerSecond, "jobs", plain.p50, plain.p99));
        } finally {
            hub.stop();
        }
    }

    private interface LoopFactory {
        PlainLoop create(String topic);
    }

    private record Result(String name, double jobsPerSecond, long p50, long p99) {
    }

    private static Result measure(String name, String topic, KafkaProducer<String, String> producer, Connection db,
                                  LoopFactory loops) throws Exception {
        // warm-up: both paths get their code compiled before anything is measured
        PlainLoop loop = loops.create(topic);
        if (loop != null) {
            loop.start();
        }
        for (int i = 0; i < WARMUP; i++) {
            producer.send(new ProducerRecord<>(topic, "k" + (i % 64), job(System.currentTimeMillis())));
        }
        producer.flush();
        await(db, topic, WARMUP);

        // throughput: a backlog, drained; the rate is taken over the backlog's own rows
        for (int i = 0; i < JOBS; i++) {
            producer.send(new ProducerRecord<>(topic, "k" + (i % 64), job(System.currentTimeMillis())));
        }
        producer.flush();
        await(db, topic, WARMUP + JOBS);
        List<Long> span = BenchSupport.longs(db, "SELECT TIMESTAMPDIFF(MICROSECOND, MIN(processed_at), MAX(processed_at))"
                + " FROM (SELECT processed_at FROM processed_jobs WHERE queue = ? ORDER BY processed_at DESC LIMIT ?) backlog",
                topic, JOBS);
        double jobsPerSecond = (JOBS - 1) / (span.get(0) / 1e6);

        // latency: a steady rate below capacity
        long begin = System.nanoTime();
        int sent = 0;
        while (sent < RATE * SECONDS) {
            long due = begin + (long) (sent * 1e9 / RATE);
            long wait = due - System.nanoTime();
            if (wait > 0) {
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            }
            producer.send(new ProducerRecord<>(topic, "k" + (sent % 64), job(System.currentTimeMillis())));
            sent++;
        }
        producer.flush();
        await(db, topic, WARMUP + JOBS + sent);
        List<Long> latencies = BenchSupport.longs(db, "SELECT TIMESTAMPDIFF(MICROSECOND,"
                + " FROM_UNIXTIME(JSON_VALUE(data, '$.sent_at_ms') / 1000), processed_at) FROM processed_jobs"
                + " WHERE queue = ? ORDER BY processed_at DESC LIMIT ?", topic, sent);
        Collections.sort(latencies);
        if (loop != null) {
            loop.close();
        }
        return new Result(name, jobsPerSecond, BenchSupport.percentile(latencies, 0.5) / 1000,
                BenchSupport.percentile(latencies, 0.99) / 1000);
    }

    private static String job(long sentAtMs) {
        return "{\"id\":\"" + UUID.randomUUID() + "\",\"type\":\"ProcessOrderEvent\",\"data\":{\"order_id\":\""
                + UUID.randomUUID() + "\",\"sent_at_ms\":" + sentAtMs + "}}";
    }

    private static void await(Connection db, String queue, int count) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
        while (BenchSupport.longs(db, "SELECT COUNT(*) FROM processed_jobs WHERE queue = ?", queue).get(0) < count) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(queue + ": fewer than " + count + " jobs processed after 10 minutes");
            }
            Thread.sleep(200);
        }
    }

    private static Main startHub(Map<String, String> services, String queue) {
        return BenchSupport.startHub(services,
                Map.of("hub.queue.names", queue, "hub.queue.consumers", "1", "hub.kafka.group-id", queue));
    }

    /** The same work as the hub's route, written by hand against kafka-clients and JDBC. */
    private static final class PlainLoop extends Thread implements AutoCloseable {

        private final Map<String, String> services;
        private final String topic;
        private final AtomicBoolean running = new AtomicBoolean(true);

        PlainLoop(Map<String, String> services, String topic) {
            super("plain-loop");
            this.services = services;
            this.topic = topic;
        }

        @Override
        public void run() {
            Properties p = new Properties();
            p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, services.get("hub.kafka.brokers"));
            p.put(ConsumerConfig.GROUP_ID_CONFIG, topic);
            p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
            p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
            p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
            try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p);
                 Connection db = BenchSupport.connect(services);
                 PreparedStatement seen = db.prepareStatement("SELECT COUNT(*) FROM job_ledger WHERE job_id = ?");
                 PreparedStatement handle = db.prepareStatement("INSERT INTO processed_jobs (job_id, job_type, queue,"
                         + " order_id, data) VALUES (?, ?, ?, ?, ?) ON DUPLICATE KEY UPDATE job_id = job_id");
                 PreparedStatement done = db.prepareStatement("INSERT INTO job_ledger (job_id, queue, job_type, attempts)"
                         + " VALUES (?, ?, ?, 1) ON DUPLICATE KEY UPDATE job_id = job_id")) {
                consumer.subscribe(List.of(topic));
                while (running.get()) {
                    var records = consumer.poll(Duration.ofMillis(200));
                    for (ConsumerRecord<String, String> record : records) {
                        JobEnvelope job = JobEnvelopes.parse(record.value());
                        seen.setString(1, job.id());
                        try (ResultSet rs = seen.executeQuery()) {
                            rs.next();
                            if (rs.getInt(1) > 0) {
                                continue;
                            }
                        }
                        handle.setString(1, job.id());
                        handle.setString(2, job.type());
                        handle.setString(3, topic);
                        handle.setString(4, job.data().path("order_id").asText());
                        handle.setString(5, job.data().toString());
                        handle.executeUpdate();
                        done.setString(1, job.id());
                        done.setString(2, topic);
                        done.setString(3, job.type());
                        done.executeUpdate();
                    }
                    if (!records.isEmpty()) {
                        consumer.commitSync();
                    }
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public void close() throws InterruptedException {
            running.set(false);
            join();
        }
    }
}
