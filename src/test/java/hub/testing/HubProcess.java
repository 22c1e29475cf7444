package hub.testing;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import hub.Application;
import hub.dev.Ports;

/**
 * The hub as its run command starts it: a separate JVM on this test run's classpath, configured by
 * environment variables only, against the shared services. Crash and outage tests kill it with SIGKILL and
 * start it again with the same environment.
 */
public final class HubProcess implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final Map<String, String> env;
    private final Path log;
    private Process process;

    private HubProcess(Map<String, String> env, Path log) {
        this.env = env;
        this.log = log;
    }

    /**
     * The environment of a hub against the shared services, on fresh ports, in consumer group {@code group},
     * without binlog capture (a test that wants it sets {@code CDC_ENABLED=true}, its own server id and data dir).
     */
    public static Map<String, String> environment(String group) {
        Map<String, String> services = SharedServices.properties();
        Map<String, String> env = new HashMap<>();
        env.put("HUB_EMBEDDED", "false");
        env.put("KAFKA_BROKERS", services.get("hub.kafka.brokers"));
        env.put("KAFKA_CONSUMER_GROUP_ID", group);
        env.put("DB_URL", services.get("hub.db.url"));
        env.put("DB_USERNAME", services.get("hub.db.username"));
        env.put("ELASTICSEARCH_URL", services.get("hub.elasticsearch.url"));
        env.put("LRA_COORDINATOR_URL", services.get("hub.lra.coordinator-url"));
        // the CDC sync's warehouse, for a test that switches the binlog engine on
        env.put("WAREHOUSE_URL", services.get("hub.warehouse.url"));
        env.put("WAREHOUSE_USERNAME", services.get("hub.warehouse.username"));
        env.put("WAREHOUSE_PASSWORD", services.get("hub.warehouse.password"));
        env.put("HUB_HTTP_PORT", String.valueOf(Ports.free()));
        env.put("HUB_MANAGEMENT_PORT", String.valueOf(Ports.free()));
        env.put("CDC_ENABLED", "false");
        return env;
    }

    /**
     * {@link #environment} plus groups named after {@code group} for the consumers whose groups are fixed in
     * application.properties (event store and projector, CQRS read model, CDC sync), so this hub shares no
     * offsets with the other test classes' hubs. The read model's is {@code group + "-read-model"}.
     */
    public static Map<String, String> environmentWithOwnGroups(String group) {
        Map<String, String> env = environment(group);
        env.put("HUB_EVENTS_PROJECTOR_GROUP", group + "-projectors");
        env.put("HUB_EVENTS_STORE_GROUP", group + "-event-store");
        env.put("HUB_CQRS_READ_MODEL_GROUP", group + "-read-model");
        env.put("HUB_CDC_GROUP_ID", group + "-cdc");
        return env;
    }

    /** Starts a hub with {@code env}, its output appended to {@code log}; does not wait for it. */
    public static HubProcess start(Map<String, String> env, Path log) throws IOException {
        HubProcess hub = new HubProcess(Map.copyOf(env), log);
        hub.start();
        return hub;
    }

    /** Starts this hub again with the same environment and ports, after {@link #kill()} or {@link #stop()}. */
    public void start() throws IOException {
        // A build started in the background (`cmd &` without job control) ignores SIGINT, and a JVM that starts
        // with SIGINT ignored keeps ignoring it: give the hub Ctrl-C as a terminal would. env execs java (same pid).
        ProcessBuilder builder = new ProcessBuilder("env", "--default-signal=INT",
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-cp", System.getProperty("java.class.path"), Application.class.getName())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().putAll(env);
        process = builder.start();
    }

    /** Waits until health is UP and the REST API answers; fails with the hub's log. */
    public HubProcess awaitHealthy(Duration within) throws IOException {
        HttpRequest health = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort()
                + "/observe/health")).timeout(Duration.ofSeconds(10)).build();
        try {
            await().atMost(within).pollInterval(Duration.ofSeconds(1)).ignoreExceptions()
                    .until(() -> HTTP.send(health, HttpResponse.BodyHandlers.ofString()).statusCode() == 200);
            // the REST routes are bound once an unknown saga is answered
            await().atMost(within).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                    .until(() -> get("/api/checkout/none").body().contains("not_found"));
        } catch (RuntimeException | AssertionError e) {
            throw new AssertionError("hub not healthy; its log:\n" + log(), e);
        }
        return this;
    }

    /** SIGKILL: no shutdown hook runs, nothing is flushed or committed. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("hub " + process.pid() + " survived SIGKILL");
        }
    }

    /** SIGINT, as Ctrl-C sends; true when the hub stopped within {@code within}. */
    public boolean interrupt(Duration within) throws Exception {
        new ProcessBuilder("kill", "-INT", String.valueOf(process.pid())).start().waitFor();
        return process.waitFor(within.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Waits for the hub to exit on its own; its exit code, or -1 when it still runs. */
    public int awaitExit(Duration within) throws InterruptedException {
        return process.waitFor(within.toMillis(), TimeUnit.MILLISECONDS) ? process.exitValue() : -1;
    }

    public int httpPort() {
        return Integer.parseInt(env.get("HUB_HTTP_PORT"));
    }

    public int managementPort() {
        return Integer.parseInt(env.get("HUB_MANAGEMENT_PORT"));
    }

    public HttpResponse<String> get(String path) throws Exception {
        return send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort() + path)).GET());
    }

    public HttpResponse<String> post(String path, String json) throws Exception {
        return send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort() + path))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    /** A GET on the management port, e.g. {@code /observe/health/ready}. */
    public HttpResponse<String> management(String path) throws Exception {
        return send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort() + path)).GET());
    }

    /** The sum of the Prometheus series {@code name} whose labels contain every {@code labels} fragment. */
    public double metric(String name, String... labels) throws Exception {
        return PrometheusText.sum(management("/observe/metrics").body(), name, labels);
    }

    /**
     * Until the Debezium engine is past its snapshot and reads the binlog: a hub killed or a database restarted
     * during the snapshot means a new snapshot, whose reads replace the changes made before it.
     */
    public HubProcess awaitCdcStreaming(Duration within) {
        await("CDC engine streaming").atMost(within).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                .until(() -> metric("hub_cdc_engine_state", "state=\"STREAMING\"") == 1);
        return this;
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return HTTP.send(request.timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
    }

    public String log() throws IOException {
        return Files.exists(log) ? Files.readString(log) : "(no log)";
    }

    /** The last {@code lines} lines of a hub's {@link #log()}, for a failure message. */
    public static String tail(String log, int lines) {
        List<String> all = log.lines().toList();
        return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    }

    /** Stops the hub with SIGTERM, then SIGKILL if it has not stopped within a minute. */
    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                kill();
            }
        }
    }
}
