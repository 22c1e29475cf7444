package hub.dev;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChildProcessTest {

    @TempDir
    Path dir;

    @Test
    void closingStopsTheServerAndEveryProcessItStarted() throws Exception {
        ChildProcess child = ChildProcess.start("sleeper", List.of("bash", "-c", "sleep 300 & sleep 300 & wait"),
                Map.of(), dir, dir.resolve("sleeper.log"));
        List<ProcessHandle> tree = await().atMost(Duration.ofSeconds(10)).until(
                () -> sleepers(ProcessHandle.current()), t -> t.size() == 2);

        child.close();

        assertFalse(child.isAlive());
        await().atMost(Duration.ofSeconds(10)).until(() -> tree.stream().noneMatch(ProcessHandle::isAlive));
    }

    @Test
    void serversStopWhenTheHubIsKilledWithSigkill() throws Exception {
        // a separate JVM plays the hub: it starts a server child, then gets kill -9
        Process hub = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), FakeHub.class.getName(), dir.toString())
                .redirectErrorStream(true).start();
        long serverPid;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(hub.getInputStream()))) {
            String line;
            while (!(line = out.readLine()).startsWith("server-pid=")) {
                // log lines of the fake hub
            }
            serverPid = Long.parseLong(line.substring("server-pid=".length()));
        }
        ProcessHandle server = ProcessHandle.of(serverPid).orElseThrow();
        assertTrue(server.isAlive());

        hub.destroyForcibly().waitFor();

        await().atMost(Duration.ofSeconds(15)).until(() -> !server.isAlive());
    }

    private static List<ProcessHandle> sleepers(ProcessHandle root) {
        return root.descendants()
                .filter(p -> p.info().commandLine().map(c -> c.contains("sleep 300")).orElse(false)
                        && p.info().command().map(c -> c.endsWith("sleep")).orElse(false))
                .toList();
    }

    /** Starts one server child and prints its pid, then waits to be killed. */
    public static final class FakeHub {
        public static void main(String[] args) throws Exception {
            Path dir = Path.of(args[0]);
            Files.createDirectories(dir);
            ChildProcess.start("server", List.of("sleep", "301"), Map.of(), dir, dir.resolve("server.log"));
            ProcessHandle server = await().atMost(Duration.ofSeconds(10)).until(
                    () -> ProcessHandle.current().descendants()
                            .filter(p -> p.info().command().map(c -> c.endsWith("sleep")).orElse(false))
                            .findFirst().orElse(null), p -> p != null);
            System.out.println("server-pid=" + server.pid());
            System.out.flush();
            Thread.sleep(Long.MAX_VALUE);
        }
    }
}
