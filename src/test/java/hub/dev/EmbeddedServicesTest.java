package hub.dev;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import hub.testing.Database;
import hub.testing.SharedServices;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(SharedServices.class)
class EmbeddedServicesTest {

    @Test
    void aTakenPortFailsWithOneLineNamingThePortAndTheVariableThatMovesIt() throws Exception {
        try (ServerSocket taken = new ServerSocket(0)) {
            DevServices.Settings settings = DevServices.Settings.fromEnvironment(Map.of(
                    "KAFKA_BROKERS", "elsewhere:9092", "DB_URL", "jdbc:x", "LRA_COORDINATOR_URL", "http://x",
                    "ELASTICSEARCH_PORT", String.valueOf(taken.getLocalPort()),
                    "HUB_DATA_DIR", "target/never-used"));
            Exception e = assertThrows(Ports.PortInUseException.class, () -> DevServices.start(settings));
            assertEquals("port " + taken.getLocalPort() + " (Elasticsearch) is already in use; set ELASTICSEARCH_PORT"
                    + " to another port", e.getMessage());
        }
    }

    @Test
    void configuredAddressesTurnTheirEmbeddedServiceOff() {
        DevServices.Settings settings = DevServices.Settings.fromEnvironment(Map.of(
                "KAFKA_BROKERS", "kafka:9092", "ELASTICSEARCH_URL", "http://es:9200"));
        assertFalse(settings.kafka());
        assertFalse(settings.elasticsearch());
        assertTrue(settings.database() && settings.lra());
        assertEquals(Path.of("target/hub-data"), settings.dataDir());

        DevServices.Settings none = DevServices.Settings.fromEnvironment(Map.of("HUB_EMBEDDED", "false"));
        assertFalse(none.kafka() || none.database() || none.elasticsearch() || none.lra());
    }

    @Test
    void hawtioRunsWithTheEmbeddedServicesOnLoopbackUnlessSwitchedOff() {
        DevServices.Settings settings = DevServices.Settings.fromEnvironment(Map.of());
        assertTrue(settings.hawtio());
        assertEquals("127.0.0.1", settings.hawtioHost());
        assertEquals(8082, settings.hawtioPort());

        assertFalse(DevServices.Settings.fromEnvironment(Map.of("HUB_HAWTIO", "false")).hawtio());
        assertFalse(DevServices.Settings.fromEnvironment(Map.of("HUB_EMBEDDED", "false")).hawtio());
        DevServices.Settings asked = DevServices.Settings.fromEnvironment(Map.of("HUB_EMBEDDED", "false",
                "HUB_HAWTIO", "true", "HUB_HAWTIO_HOST", "0.0.0.0", "HUB_HAWTIO_PORT", "9082"));
        assertTrue(asked.hawtio());
        assertEquals("0.0.0.0", asked.hawtioHost());
        assertEquals(9082, asked.hawtioPort());
    }

    @Test
    void mariadbRunsWithTheRowBinlogThatChangeCaptureNeeds() throws Exception {
        Map<String, Object> vars = Database.query("SELECT @@log_bin AS log_bin, @@binlog_format AS format,"
                + " @@binlog_row_image AS image, DATABASE() AS db").get(0);
        assertEquals(1, ((Number) vars.get("log_bin")).intValue());
        assertEquals("ROW", vars.get("format"));
        assertEquals("FULL", vars.get("image"));
        assertEquals("laravel_db", vars.get("db"));
    }

    @Test
    void theLraCoordinatorStartsAndClosesALongRunningAction() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        String coordinator = SharedServices.properties().get("hub.lra.coordinator-url") + "/lra-coordinator";
        HttpResponse<String> started = http.send(HttpRequest.newBuilder(URI.create(coordinator + "/start?ClientID=test"))
                        .POST(HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(201, started.statusCode(), started.body());
        String lra = started.body().trim();
        assertTrue(lra.startsWith(coordinator), lra);

        HttpResponse<String> closed = http.send(HttpRequest.newBuilder(URI.create(lra + "/close"))
                        .PUT(HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, closed.statusCode(), closed.body());
        assertTrue(List.of("Closed", "Closing").contains(closed.body().trim()), closed.body());
    }

    @Test
    void theWarehouseStopsPromptlyWhileAClientIsStillConnected() throws Exception {
        // a pool the hub did not close must not hold up the stop: PostgreSQL's smart shutdown (TERM) waits for it
        Path dir = Path.of("target", "postgres-stop-test").toAbsolutePath();
        PostgresServer warehouse = new PostgresServer(DevServices.Settings.serverVersion("postgres"), Ports.free(), dir);
        warehouse.start();
        warehouse.awaitReady(Duration.ofSeconds(60));
        try (Connection left = DriverManager.getConnection(warehouse.jdbcUrl(), PostgresServer.USER, "")) {
            long begin = System.nanoTime();
            warehouse.close();
            long stopMillis = (System.nanoTime() - begin) / 1_000_000;
            assertTrue(stopMillis < 10_000, "stopped after " + stopMillis + " ms");
            assertTrue(left.isClosed() || !left.isValid(2), "the client's connection is still served");
        }
        assertTrue(Files.readString(dir.resolve("postgres.log"))
                .contains("fast shutdown request"));
    }
}
