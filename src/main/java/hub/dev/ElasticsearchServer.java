package hub.dev;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * A single-node Elasticsearch 9 from the {@code integ-test-zip} distribution. It needs a JDK 21+, found
 * automatically, and refuses to run as root: under root it runs as {@code nobody}, from a directory that
 * user can reach.
 */
public final class ElasticsearchServer implements AutoCloseable {

    private final String version;
    private final int port;
    private final int transportPort;
    private final Path dir;
    private boolean reset;
    private ChildProcess process;

    /** @param reset wipe the node's data on first start (it may live outside the hub's data directory) */
    ElasticsearchServer(String version, int port, int transportPort, Path dir, boolean reset) {
        this.version = version;
        this.port = port;
        this.transportPort = transportPort;
        this.dir = dir;
        this.reset = reset;
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    public synchronized void start() throws IOException {
        Path base = Unprivileged.reachableDir(dir, "elasticsearch");
        Files.createDirectories(base);
        Path home = base.resolve("elasticsearch-" + version);
        if (!Files.isRegularFile(home.resolve("bin/elasticsearch"))) {
            unzip(MavenArtifacts.file("org.elasticsearch.distribution.integ-test-zip:elasticsearch:zip:" + version),
                    base, home.getFileName().toString());
        }
        Path data = base.resolve("data");
        Path logs = base.resolve("logs");
        Path tmp = base.resolve("tmp");
        if (reset) {
            DevServices.deleteTree(data);
            reset = false;
        }
        for (Path d : List.of(data, logs, tmp)) {
            Files.createDirectories(d);
        }
        // the node writes its keystore into config/ and its state into data, logs and tmp
        for (Path d : List.of(home.resolve("config"), data, logs, tmp)) {
            Unprivileged.own(d);
        }
        List<String> command = new ArrayList<>(Unprivileged.commandPrefix());
        command.add(home.resolve("bin/elasticsearch").toString());
        command.addAll(List.of(
                "-Ediscovery.type=single-node",
                "-Expack.security.enabled=false",
                "-Enetwork.host=127.0.0.1",
                "-Ehttp.port=" + port,
                "-Etransport.port=" + transportPort,
                "-Epath.data=" + data,
                "-Epath.logs=" + logs,
                "-Ecluster.routing.allocation.disk.threshold_enabled=false"));
        Map<String, String> env = Map.of(
                "ES_JAVA_HOME", javaHome21().toString(),
                "ES_JAVA_OPTS", System.getProperty("hub.dev.elasticsearch-java-opts", "-Xms512m -Xmx512m"),
                "ES_TMPDIR", tmp.toString(),
                "HOME", tmp.toString());
        process = ChildProcess.start("elasticsearch", command, env, base, dir.resolve("elasticsearch.log"));
    }

    public void awaitReady(Duration timeout) throws InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest health = HttpRequest.newBuilder(URI.create(url() + "/_cluster/health?wait_for_status=yellow&timeout=2s"))
                .timeout(Duration.ofSeconds(5)).build();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("elasticsearch exited during start, see " + process.log());
            }
            try {
                if (http.send(health, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException("elasticsearch not ready after " + timeout + ", see " + process.log());
    }

    /** Stops the node; {@link #start()} brings it back on the same port with the same data. */
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

    /** A JDK 21 or newer: {@code ES_JAVA_HOME}, this JVM, or one under {@code /usr/lib/jvm}. */
    static Path javaHome21() {
        String configured = System.getenv("ES_JAVA_HOME");
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        Path current = Path.of(System.getProperty("java.home"));
        if (Runtime.version().feature() >= 21) {
            return current;
        }
        try (Stream<Path> jvms = Files.list(Path.of("/usr/lib/jvm"))) {
            return jvms.filter(p -> featureVersion(p).orElse(0) >= 21)
                    .max(Comparator.comparing(p -> featureVersion(p).orElse(0)))
                    .orElseThrow();
        } catch (Exception e) {
            throw new IllegalStateException("Elasticsearch needs a JDK 21 or newer: install one under /usr/lib/jvm"
                    + " or set ES_JAVA_HOME");
        }
    }

    private static Optional<Integer> featureVersion(Path jdk) {
        Path release = jdk.resolve("release");
        if (!Files.isRegularFile(release) || !Files.isExecutable(jdk.resolve("bin/java"))) {
            return Optional.empty();
        }
        try (InputStream in = Files.newInputStream(release)) {
            Properties p = new Properties();
            p.load(in);
            String v = p.getProperty("JAVA_VERSION", "").replace("\"", "");
            return Optional.of(Integer.parseInt(v.split("[.+-]")[0]));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static void unzip(Path zip, Path target, String topLevelName) throws IOException {
        Path staging = Files.createTempDirectory(target, "unpack-");
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
            for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
                Path out = staging.resolve(e.getName()).normalize();
                if (!out.startsWith(staging)) {
                    throw new IOException("zip entry outside target: " + e.getName());
                }
                if (e.isDirectory()) {
                    Files.createDirectories(out);
                } else {
                    Files.createDirectories(out.getParent());
                    Files.copy(in, out);
                }
            }
        }
        Set<PosixFilePermission> exec = new HashSet<>(PosixFilePermissions.fromString("rwxr-xr-x"));
        try (Stream<Path> paths = Files.walk(staging)) {
            for (Path p : paths.toList()) {
                boolean isDir = Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS);
                boolean binary = p.toString().endsWith(".so")
                        || p.getParent() != null && p.getParent().getFileName().toString().equals("bin");
                Files.setPosixFilePermissions(p, isDir || binary ? exec : PosixFilePermissions.fromString("rw-r--r--"));
            }
        }
        try (Stream<Path> top = Files.list(staging)) {
            Path unpacked = top.findFirst().orElseThrow(() -> new IOException("empty zip " + zip));
            Files.move(unpacked, target.resolve(topLevelName));
        }
        Files.delete(staging);
    }
}
