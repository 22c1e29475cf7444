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
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import hub.dev.KafkaServer;
import hub.dev.Ports;
import hub.testing.Database;
import hub.testing.Kafka;
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
    void runsAgainstServersNamedInTheEnvironmentOverSaslAndStopsCleanlyOnSigint() throws Exception {
        KafkaServer.SaslListener sasl = SharedServices.kafkaSasl();
        int management = Ports.free();
        Path log = dir.resolve("hub.log");
        ProcessBuilder builder = hub(log, management, sasl, sasl.password());
        Process process = builder.start();
        try {
            try {
                awaitHealthy(management);
            } catch (AssertionError | RuntimeException e) {
                throw new AssertionError("hub not healthy; its log:\n" + Files.readString(log), e);
            }
            // the hub's consumers read over the SASL listener: a message on the pipe lands in the database
            String id = UUID.randomUUID().toString();
            Kafka.send("hub.pipe", id, "{\"id\":\"" + id + "\"}");
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> !Database.query("SELECT id FROM pipe_messages WHERE id = ?", id).isEmpty());

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

    @Test
    void aWrongSaslPasswordStopsTheStartWithKafkasReason() throws Exception {
        Path log = dir.resolve("wrong-password.log");
        Process process = hub(log, Ports.free(), SharedServices.kafkaSasl(), "not-the-password").start();
        try {
            // credentials do not heal by waiting: the start fails at once, with the broker's answer
            assertTrue(process.waitFor(90, TimeUnit.SECONDS), "the hub gives up");
            assertEquals(1, process.exitValue());
            String output = Files.readString(log);
            assertTrue(output.contains("The hub failed to start") && output.contains("Authentication failed"), output);
        } finally {
            process.destroyForcibly();
        }
    }

    /** The hub against the shared services, configured by environment variables only, with Kafka over SASL. */
    private ProcessBuilder hub(Path log, int management, KafkaServer.SaslListener sasl, String password) {
        Map<String, String> services = SharedServices.properties();
        ProcessBuilder builder = hub(log);
        builder.environment().putAll(Map.ofEntries(
                Map.entry("HUB_EMBEDDED", "false"),
                Map.entry("KAFKA_BROKERS", sasl.bootstrapServers()),
                Map.entry("KAFKA_SECURITY_PROTOCOL", "SASL_PLAINTEXT"),
                Map.entry("KAFKA_SASL_USERNAME", sasl.username()),
                Map.entry("KAFKA_SASL_PASSWORD", password),
                Map.entry("KAFKA_CONSUMER_GROUP_ID", "process-test"),
                Map.entry("DB_URL", services.get("hub.db.url")),
                Map.entry("DB_USERNAME", services.get("hub.db.username")),
                Map.entry("ELASTICSEARCH_URL", services.get("hub.elasticsearch.url")),
                Map.entry("LRA_COORDINATOR_URL", services.get("hub.lra.coordinator-url")),
                Map.entry("HUB_HTTP_PORT", String.valueOf(Ports.free())),
                Map.entry("HUB_MANAGEMENT_PORT", String.valueOf(management)),
                // no binlog capture from this process: it would need the warehouse and a server id of its own
                Map.entry("CDC_ENABLED", "false")));
        return builder;
    }

    private static void awaitHealthy(int management) {
        HttpClient client = HttpClient.newHttpClient();
        HttpRequest health = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + management + "/observe/health"))
                .timeout(Duration.ofSeconds(10)).build();
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1)).ignoreExceptions()
                .until(() -> client.send(health, HttpResponse.BodyHandlers.ofString()).statusCode() == 200);
    }

    private static ProcessBuilder hub(Path log) {
        return new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m",
                "-cp", System.getProperty("java.class.path"), Application.class.getName())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
    }
}
