package hub.dev;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;

/**
 * A single-node KRaft broker (broker and controller in one) run as a child JVM from the
 * {@code kafka_2.13} artifact, so its jars stay off the hub's classpath. Outage tests {@link #stop()} it and
 * {@link #start()} it again: the same ports, the same log directory.
 */
public final class KafkaServer implements AutoCloseable {

    private final String version;
    private final int port;
    private final int controllerPort;
    private final Path dir;
    private final SaslListener sasl;
    private ChildProcess process;

    /** A SASL_PLAINTEXT listener with one PLAIN user, for clients that must authenticate. */
    public record SaslListener(String bootstrapServers, String username, String password) {
    }

    /** @param saslPort a second listener that needs SASL/PLAIN, with a user made up for this start; 0 for none */
    KafkaServer(String version, int port, int controllerPort, int saslPort, Path dir) {
        this.version = version;
        this.port = port;
        this.controllerPort = controllerPort;
        this.dir = dir;
        this.sasl = saslPort > 0 ? new SaslListener("127.0.0.1:" + saslPort, "hub", Uuid.randomUuid().toString()) : null;
    }

    SaslListener sasl() {
        return sasl;
    }

    String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    /** Formats the log directory on first use and starts the broker; does not wait for it. */
    public synchronized void start() throws IOException, InterruptedException {
        Path logs = dir.resolve("logs");
        Files.createDirectories(logs);
        Path config = dir.resolve("server.properties");
        writeConfig(config, logs);

        String classpath = MavenArtifacts.runtimeClasspath("org.apache.kafka:kafka_2.13:" + version).stream()
                .map(Path::toString).collect(Collectors.joining(File.pathSeparator));
        Path log4j = dir.resolve("log4j.properties");
        Files.writeString(log4j, """
                log4j.rootLogger=WARN, stdout
                log4j.logger.kafka.server.KafkaRaftServer=INFO
                log4j.appender.stdout=org.apache.log4j.ConsoleAppender
                log4j.appender.stdout.layout=org.apache.log4j.PatternLayout
                log4j.appender.stdout.layout.ConversionPattern=[%d] %p %m (%c)%n
                """);

        if (!Files.exists(logs.resolve("meta.properties"))) {
            Process format = new ProcessBuilder(java(classpath, log4j, "kafka.tools.StorageTool",
                    "format", "--ignore-formatted", "-t", Uuid.randomUuid().toString(), "-c", config.toString()))
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("kafka.log").toFile()))
                    .start();
            if (format.waitFor() != 0) {
                throw new IllegalStateException("kafka storage format failed, see " + dir.resolve("kafka.log"));
            }
        }
        process = ChildProcess.start("kafka", java(classpath, log4j, "kafka.Kafka", config.toString()),
                Map.of(), dir, dir.resolve("kafka.log"));
    }

    public void awaitReady(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2000);
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 3000);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("kafka exited during start, see " + process.log());
            }
            try (Admin admin = Admin.create(props)) {
                admin.describeCluster().nodes().get();
                return;
            } catch (Exception notYet) {
                Thread.sleep(500);
            }
        }
        throw new IllegalStateException("kafka not ready after " + timeout + ", see " + process.log());
    }

    private void writeConfig(Path config, Path logs) throws IOException {
        String saslListener = sasl == null ? "" : ",SASL_PLAINTEXT://" + sasl.bootstrapServers();
        Files.writeString(config, String.join("\n",
                "process.roles=broker,controller",
                "node.id=1",
                "controller.quorum.voters=1@127.0.0.1:" + controllerPort,
                "listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort + saslListener,
                "advertised.listeners=PLAINTEXT://127.0.0.1:" + port + saslListener,
                "controller.listener.names=CONTROLLER",
                "inter.broker.listener.name=PLAINTEXT",
                "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT,SASL_PLAINTEXT:SASL_PLAINTEXT",
                "sasl.enabled.mechanisms=PLAIN",
                sasl == null ? "" : "listener.name.sasl_plaintext.plain.sasl.jaas.config="
                        + "org.apache.kafka.common.security.plain.PlainLoginModule required user_" + sasl.username()
                        + "=\"" + sasl.password() + "\";",
                "log.dirs=" + logs,
                "num.partitions=3",
                "auto.create.topics.enable=true",
                "offsets.topic.replication.factor=1",
                "offsets.topic.num.partitions=10",
                "transaction.state.log.replication.factor=1",
                "transaction.state.log.min.isr=1",
                "group.initial.rebalance.delay.ms=0",
                "log.retention.hours=-1",
                ""));
    }

    private static List<String> java(String classpath, Path log4j, String mainClass, String... args) {
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xms128m", "-Xmx512m", "-XX:+UseSerialGC",
                "-Dlog4j.configuration=file:" + log4j,
                "-cp", classpath, mainClass));
        cmd.addAll(List.of(args));
        return cmd;
    }

    /** A controlled shutdown (SIGTERM); {@link #start()} brings the broker back with its topics and offsets. */
    public synchronized void stop() {
        if (process != null) {
            process.close();
            process = null;
        }
    }

    @Override
    public void close() {
        stop();
    }
}
