package hub.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.main.Main;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Event sourcing rebuild: loads {@code bench.events} events (orders of 4 events: created, paid, shipped,
 * refunded, {@code bench.open} of them in progress at a time; one in five OrderCreated in the old v1 shape)
 * onto {@code order-events}, waits for the live
 * projector and the event store to take them, then rebuilds {@code order_projection} by replay and prints
 * the rebuild rate against a plain kafka-clients read of the same topic (the baseline), and whether the
 * rebuilt table equals the live one.
 */
public final class EventSourcingBenchmark {

    private static final int EVENTS = Integer.getInteger("bench.events", 1_000_000);
    private static final int OPEN = Integer.getInteger("bench.open", 10_000);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    /** Rows, and a sum of a checksum of every row's every column. */
    private static final String TABLE_FINGERPRINT = "SELECT CONCAT(COUNT(*), ' rows, checksum ', COALESCE(SUM(CRC32("
            + "CONCAT_WS('|', uuid, user_id, status, total, currency, paid_at, shipped_at, version))), 0))"
            + " FROM order_projection";

    private EventSourcingBenchmark() {
    }

    public static void main(String[] args) {
        BenchSupport.runAndExit(EventSourcingBenchmark::measure);
    }

    static List<BenchSupport.Figure> measure(Map<String, String> services) throws Exception {
        Main hub = BenchSupport.startHub(services, Map.of());
        try {
            return run(services, BenchSupport.api(hub), hub);
        } finally {
            hub.stop();
        }
    }

    private static List<BenchSupport.Figure> run(Map<String, String> services, String api, Main hub) throws Exception {
        String topic = hub.getCamelContext().resolvePropertyPlaceholders("{{hub.events.topic}}");
        long loadStart = System.nanoTime();
        load(services, topic);
        double loadSeconds = seconds(loadStart);

        // the live consumers take the load first, so the rebuild is measured alone
        long liveStart = System.nanoTime();
        try (Connection db = BenchSupport.connect(services)) {
            while (BenchSupport.longs(db, "SELECT COALESCE(SUM(version), 0) FROM order_projection").get(0) < EVENTS
                    || BenchSupport.longs(db, "SELECT COUNT(*) FROM order_events").get(0) < EVENTS) {
                Thread.sleep(500);
            }
        }
        double liveSeconds = seconds(liveStart);

        long plainStart = System.nanoTime();
        long plainRead = plainRead(services.get("hub.kafka.brokers"), topic);
        double plainSeconds = seconds(plainStart);

        String before = fingerprint(services);
        long rebuildStart = System.nanoTime();
        HttpResponse<String> started = post(api + "/api/projections/order_projection/rebuild");
        if (started.statusCode() != 202) {
            throw new IllegalStateException("rebuild did not start: " + started.body());
        }
        JsonNode status;
        do {
            Thread.sleep(200);
            status = JSON.readTree(HTTP.send(HttpRequest.newBuilder(URI.create(api + "/api/projections/order_projection"))
                    .build(), HttpResponse.BodyHandlers.ofString()).body());
        } while ("rebuilding".equals(status.get("status").asText()));
        double rebuildSeconds = seconds(rebuildStart);
        if (!"done".equals(status.at("/rebuild/phase").asText())) {
            throw new IllegalStateException("rebuild failed: " + status);
        }
        String after = fingerprint(services);

        long replayed = status.at("/rebuild/events").asLong();
        double rebuildRate = replayed / rebuildSeconds;
        double plainRate = plainRead / plainSeconds;
        System.out.printf("%nEvent sourcing benchmark (%s): %,d events, orders of 4 events with %,d open at a time%n",
                BenchSupport.machine(), EVENTS, OPEN);
        System.out.printf("%-52s %12s %10s%n", "measure", "events/s", "seconds");
        System.out.printf("%-52s %12.0f %10.1f%n", "load (kafka-clients producer)", EVENTS / loadSeconds, loadSeconds);
        System.out.printf("%-52s %12.0f %10.1f%n", "live projector + event store, concurrently", EVENTS / liveSeconds,
                liveSeconds);
        System.out.printf("%-52s %12.0f %10.1f%n", "baseline: plain kafka-clients read of the topic", plainRate, plainSeconds);
        System.out.printf("%-52s %12.0f %10.1f%n", "rebuild (POST .../rebuild to swapped and caught up)", rebuildRate,
                rebuildSeconds);
        System.out.printf("rebuild / baseline read: %.2f; goal 20,000 events/s (spatie/laravel-event-sourcing: ~110)%n",
                rebuildRate / plainRate);
        System.out.printf("rebuilt table equals the live one: %s (%s)%n", before.equals(after) ? "yes" : "NO", after);
        if (!before.equals(after)) {
            throw new IllegalStateException("the rebuilt table differs from the live one");
        }
        double none = Double.NaN;
        String events = "%,d events".formatted(EVENTS);
        return List.of(
                new BenchSupport.Figure("event sourcing", "rebuild of order_projection by replay, " + events, rebuildRate,
                        "events", none, none),
                new BenchSupport.Figure("event sourcing", "live projector + event store, backlog of " + events,
                        EVENTS / liveSeconds, "events", none, none),
                new BenchSupport.Figure("event sourcing", "plain kafka-clients read of order-events", plainRate, "events",
                        none, none));
    }

    /**
     * Orders progress side by side, as in a shop: {@code bench.open} orders are open at any time, each step
     * gives a random open order its next event, and an order that has its four is replaced by a new one.
     */
    private static void load(Map<String, String> services, String topic) throws Exception {
        String[] types = {"OrderCreated", "OrderPaid", "OrderShipped", "OrderRefunded"};
        String[] open = new String[OPEN];
        int[] next = new int[OPEN];
        Random random = new Random(42);
        Instant t0 = Instant.now().minus(Duration.ofDays(1));
        try (KafkaProducer<String, String> producer = BenchSupport.producer(services)) {
            for (int n = 0; n < EVENTS; n++) {
                int slot = random.nextInt(OPEN);
                if (open[slot] == null || next[slot] > 4) {
                    open[slot] = UUID.randomUUID().toString();
                    next[slot] = 1;
                }
                int seq = next[slot]++;
                String data = switch (seq) {
                    case 1 -> n % 5 == 0 ? "{\"user_id\":" + (1 + n % 1000) + ",\"total_cents\":" + (100 + n % 9000) + "}"
                            : "{\"user_id\":" + (1 + n % 1000) + ",\"total\":\"" + (1 + n % 900) + ".50\",\"currency\":\"EUR\"}";
                    case 2 -> "{\"payment_id\":\"pay-" + n + "\"}";
                    case 3 -> "{\"carrier\":\"DHL\",\"tracking_number\":\"T" + n + "\"}";
                    default -> "{\"reason\":\"returned\"}";
                };
                int version = seq == 1 && n % 5 != 0 ? 2 : 1;
                String event = "{\"type\":\"" + types[seq - 1] + "\",\"aggregate_uuid\":\"" + open[slot] + "\",\"data\":"
                        + data + ",\"timestamp\":\"" + t0.plusMillis(n) + "\",\"event_version\":" + version
                        + ",\"sequence\":" + seq + "}";
                producer.send(new ProducerRecord<>(topic, open[slot], event));
            }
            producer.flush();
        }
    }

    private static long plainRead(String brokers, String topic) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers);
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p)) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(i -> new TopicPartition(topic, i.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long read = 0;
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                read += consumer.poll(Duration.ofMillis(500)).count();
            }
            return read;
        }
    }

    private static String fingerprint(Map<String, String> services) throws Exception {
        try (Connection db = BenchSupport.connect(services); var st = db.createStatement();
             var rs = st.executeQuery(TABLE_FINGERPRINT)) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static HttpResponse<String> post(String url) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }
}
