package hub;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import hub.dev.Ports;
import hub.testing.SharedServices;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The hub as its run command starts it: a separate JVM, configured by environment variables only. */
@ExtendWith(SharedServices.class)
class ApplicationProcessTest {

    @TempDir
    Path dir;

    @Test
    void runsAgainstServersNamedInTheEnvironmentAndStopsCleanlyOnSigint() throws Exception {
        Map<String, String> services = SharedServices.properties();
        int http = Ports.free();
        int management = Ports.free();
        Path log = dir.resolve("hub.log");
        ProcessBuilder builder = hub(log);
        builder.environment().putAll(Map.of(
                "HUB_EMBEDDED", "false",
                "KAFKA_BROKERS", services.get("hub.kafka.brokers"),
                "KAFKA_CONSUMER_GROUP_ID", "process-test",
                "DB_URL", services.get("hub.db.url"),
                "DB_USERNAME", services.get("hub.db.username"),
                "ELASTICSEARCH_URL", services.get("hub.elasticsearch.url"),
                "LRA_COORDINATOR_URL", services.get("hub.lra.coordinator-url"),
                "HUB_HTTP_PORT", String.valueOf(http),
                "HUB_MANAGEMENT_PORT", String.valueOf(management)));
        // no binlog capture from this process: it would need the warehouse and a server id of its own
        builder.environment().put("CDC_ENABLED", "false");
        Process process = builder.start();
        try {
            HttpClient client = HttpClient.newHttpClient();
            HttpRequest health = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + management + "/observe/health"))
                    .timeout(Duration.ofSeconds(10)).build();
            try {
                await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1)).ignoreExceptions()
                        .until(() -> client.send(health, HttpResponse.BodyHandlers.ofString()).body().contains("\"status\":\"UP\""));
            } catch (AssertionError | RuntimeException e) {
                throw new AssertionError("hub not healthy; its log:\n" + Files.readString(log), e);
            }
            // the hub's routes run: its pipe consumer subscribes
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> Files.readString(log).contains("Subscribing to topic(s) hub.pipe"));

            new ProcessBuilder("kill", "-INT", String.valueOf(process.pid())).start().waitFor();
            assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the hub stops on Ctrl-C");
            assertTrue(Files.readString(log).contains("(order-hub) shutdown in"), "Camel shut down in order");
        } finally {
            process.destroyForcibly();
        }
    }

    @Test
    void aTakenPortStopsTheHubWithOneLineNamingTheVariable() throws Exception {
        try (ServerSocket taken = new ServerSocket(0)) {
            Path log = dir.resolve("taken.log");
            ProcessBuilder builder = hub(log);
            builder.environment().put("HUB_HTTP_PORT", String.valueOf(taken.getLocalPort()));
            Process process = builder.start();
            assertTrue(process.waitFor(60, TimeUnit.SECONDS));
            assertEquals(2, process.exitValue());
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            assertEquals(List.of("order-hub: port " + taken.getLocalPort() + " (hub REST API) is already in use;"
                    + " set HUB_HTTP_PORT to another port"), lines);
        }
    }

    private static ProcessBuilder hub(Path log) {
        return new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m",
                "-cp", System.getProperty("java.class.path"), Application.class.getName())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
    }
}
