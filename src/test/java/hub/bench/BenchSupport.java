package hub.bench;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import hub.Hub;
import hub.dev.DevServices;
import hub.dev.Ports;
import org.apache.camel.main.Main;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringSerializer;

/** What every benchmark needs: the embedded services, a producer, SQL reads and a printed table. */
final class BenchSupport {

    private BenchSupport() {
    }

    /** A benchmark runs its own hub against the given services, prints its own table and returns its figures. */
    interface Benchmark {
        List<Figure> run(Map<String, String> services) throws Exception;
    }

    /**
     * One line of the combined table ({@code BenchAll}): a rate in {@code unit}s per second and latency
     * percentiles in milliseconds; NaN where the benchmark does not measure it.
     */
    record Figure(String strategy, String measure, double perSecond, String unit, double p50Ms, double p99Ms) {
    }

    /**
     * Starts the embedded services, runs the benchmark against them and ends the JVM either way, so a failure
     * cannot leave it waiting on threads.
     */
    static void runAndExit(Benchmark benchmark) {
        int status = 0;
        try (DevServices services = services()) {
            benchmark.run(services.properties());
        } catch (Throwable e) {
            e.printStackTrace();
            status = 1;
        }
        System.exit(status);
    }

    static DevServices services() throws Exception {
        // Elasticsearch with 1 GiB of heap, not the test suite's 512 MiB: with 512 MiB its own p99 for a get at
        // 200/s was 25 to 28 ms during the CQRS benchmark, with 1 GiB 14 to 20 ms
        if (System.getProperty("hub.dev.elasticsearch-java-opts") == null) {
            System.setProperty("hub.dev.elasticsearch-java-opts", "-Xms1g -Xmx1g");
        }
        return DevServices.start(DevServices.Settings.forTests(Path.of("target", "bench-services")));
    }

    /** Starts the hub as the application builds it, on free ports, against {@code services} plus {@code extra}. */
    static Main startHub(Map<String, String> services, Map<String, String> extra) {
        Map<String, String> overrides = new HashMap<>(services);
        overrides.put("camel.server.port", String.valueOf(Ports.free()));
        overrides.put("camel.management.port", String.valueOf(Ports.free()));
        // hubs started one after another (BenchAll) share the CDC engine's offsets, as one hub restarted would
        overrides.put("hub.cdc.state-dir", "target/bench-services/cdc");
        overrides.putAll(extra);
        Main hub = Hub.newMain(overrides);
        hub.start();
        return hub;
    }

    /** The base URL of a hub's REST API. */
    static String api(Main hub) {
        return "http://127.0.0.1:" + hub.getCamelContext().resolvePropertyPlaceholders("{{camel.server.port}}");
    }

    static KafkaProducer<String, String> producer(Map<String, String> services) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, services.get("hub.kafka.brokers"));
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        return new KafkaProducer<>(p);
    }

    static Connection connect(Map<String, String> services) throws Exception {
        return DriverManager.getConnection(services.get("hub.db.url"), services.get("hub.db.username"),
                services.get("hub.db.password"));
    }

    static List<Long> longs(Connection c, String sql, Object... params) throws Exception {
        try (PreparedStatement st = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                st.setObject(i + 1, params[i]);
            }
            List<Long> values = new ArrayList<>();
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    values.add(rs.getLong(1));
                }
            }
            return values;
        }
    }

    static long percentile(List<Long> sorted, double p) {
        if (sorted.isEmpty()) {
            return -1;
        }
        return sorted.get((int) Math.min(sorted.size() - 1, Math.ceil(p * sorted.size()) - 1));
    }

    static String machine() {
        return Runtime.getRuntime().availableProcessors() + " cores, "
                + Runtime.getRuntime().maxMemory() / (1 << 20) + " MiB heap, Java " + Runtime.version();
    }
}
