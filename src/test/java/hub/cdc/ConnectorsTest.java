package hub.cdc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.debezium.config.CommonConnectorConfig;
import io.debezium.connector.mysql.MySqlConnector;
import io.debezium.storage.kafka.history.KafkaSchemaHistory;
import org.junit.jupiter.api.Test;

/** The Kafka Connect files in connectors/: Debezium 3 property names, and the script that registers them. */
class ConnectorsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path DIR = Path.of("connectors");

    @Test
    void theMySqlSourceUsesOnlyPropertiesDebeziumKnows() throws IOException {
        JsonNode config = JSON.readTree(DIR.resolve("laravel-mysql-source.json").toFile());
        Set<String> known = new HashSet<>(new MySqlConnector().config().names());
        // the Kafka-backed schema history's own fields, and a common field the connector's ConfigDef leaves out
        known.add(KafkaSchemaHistory.BOOTSTRAP_SERVERS.name());
        known.add(CommonConnectorConfig.BINARY_HANDLING_MODE.name());
        known.add(KafkaSchemaHistory.TOPIC.name());
        // Kafka Connect's own keys and the converters' options are not the connector's
        Set<String> connect = Set.of("connector.class", "tasks.max", "key.converter", "key.converter.schemas.enable",
                "value.converter", "value.converter.schemas.enable", "temporal.type");
        config.fieldNames().forEachRemaining(name ->
                assertTrue(known.contains(name) || connect.contains(name), "not a Debezium 3 MySQL property: " + name));
        assertEquals("laravel", config.get("topic.prefix").asText());
        assertEquals("laravel_db.orders,laravel_db.users", config.get("table.include.list").asText());
        assertEquals(TemporalAsText.class.getName(), config.get("temporal.type").asText());
    }

    @Test
    void theScriptPutsEachConfigWithTheEnvironmentFilledIn() throws Exception {
        Map<String, JsonNode> received = new ConcurrentHashMap<>();
        HttpServer connect = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        connect.createContext("/connectors/", exchange -> {
            String name = exchange.getRequestURI().getPath().split("/")[2];
            if ("PUT".equals(exchange.getRequestMethod()) && exchange.getRequestURI().getPath().endsWith("/config")) {
                received.put(name, JSON.readTree(exchange.getRequestBody()));
            }
            byte[] answer = "{}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(201, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        connect.start();
        try {
            ProcessBuilder script = new ProcessBuilder("bash", DIR.resolve("register.sh").toString(),
                    "http://127.0.0.1:" + connect.getAddress().getPort()).redirectErrorStream(true);
            script.environment().put("MYSQL_HOST", "db.internal");
            Process p = script.start();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(30, TimeUnit.SECONDS));
            assertEquals(0, p.exitValue(), output);
        } finally {
            connect.stop(0);
        }
        try (var files = Files.list(DIR)) {
            assertEquals(files.filter(f -> f.toString().endsWith(".json")).count(), received.size());
        }
        JsonNode source = received.get("laravel-mysql-source");
        assertEquals("db.internal", source.get("database.hostname").asText());
        assertEquals("3306", source.get("database.port").asText());
        assertEquals("io.confluent.connect.elasticsearch.ElasticsearchSinkConnector",
                received.get("cdc-elasticsearch-sink").get("connector.class").asText());
    }
}
