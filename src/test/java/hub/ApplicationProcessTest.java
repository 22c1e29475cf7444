package hub;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import hub.dev.KafkaServer;
import hub.testing.Database;
import hub.testing.HubProcess;
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
        try (HubProcess hub = HubProcess.start(overSasl(sasl, sasl.password()), dir.resolve("hub.log"))) {
            hub.awaitHealthy(Duration.ofSeconds(90));
            // the hub's consumers read over the SASL listener: a message on the pipe lands in the database
            String id = UUID.randomUUID().toString();
            Kafka.send("hub.pipe", id, "{\"id\":\"" + id + "\"}");
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> !Database.query("SELECT id FROM pipe_messages WHERE id = ?", id).isEmpty());

            boolean stopped = hub.interrupt(Duration.ofSeconds(60));
            String log = hub.log();
            assertTrue(stopped, () -> "the hub stops on Ctrl-C; its log ends:\n" + HubProcess.tail(log, 200));
            assertTrue(log.contains("(order-hub) shutdown in"), () -> "Camel shut down in order; its log ends:\n"
                    + HubProcess.tail(log, 200));
        }
    }

    @Test
    void aTakenPortStopsTheHubWithOneLineNamingTheVariable() throws Exception {
        try (ServerSocket taken = new ServerSocket(0)) {
            Map<String, String> env = HubProcess.environment("process-test");
            env.put("HUB_HTTP_PORT", String.valueOf(taken.getLocalPort()));
            try (HubProcess hub = HubProcess.start(env, dir.resolve("taken.log"))) {
                assertEquals(2, hub.awaitExit(Duration.ofSeconds(60)));
                assertEquals(List.of("order-hub: port " + taken.getLocalPort() + " (hub REST API) is already in use;"
                        + " set HUB_HTTP_PORT to another port"), hub.log().lines().toList());
            }
        }
    }

    @Test
    void aWrongSaslPasswordStopsTheStartWithKafkasReason() throws Exception {
        try (HubProcess hub = HubProcess.start(overSasl(SharedServices.kafkaSasl(), "not-the-password"),
                dir.resolve("wrong-password.log"))) {
            // credentials do not heal by waiting: the start fails at once, with the broker's answer
            assertEquals(1, hub.awaitExit(Duration.ofSeconds(90)), "the hub gives up");
            String output = hub.log();
            assertTrue(output.contains("The hub failed to start") && output.contains("Authentication failed"), output);
        }
    }

    /** The hub against the shared services with Kafka over the SASL listener, as {@code user}/{@code password}. */
    private static Map<String, String> overSasl(KafkaServer.SaslListener sasl, String password) {
        Map<String, String> env = HubProcess.environment("process-test");
        env.put("KAFKA_BROKERS", sasl.bootstrapServers());
        env.put("KAFKA_SECURITY_PROTOCOL", "SASL_PLAINTEXT");
        env.put("KAFKA_SASL_USERNAME", sasl.username());
        env.put("KAFKA_SASL_PASSWORD", password);
        return env;
    }
}
