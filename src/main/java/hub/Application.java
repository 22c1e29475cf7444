package hub;

import java.time.Duration;
import java.util.Map;

import hub.dev.DevServices;
import hub.dev.Ports;
import org.apache.camel.CamelContext;
import org.apache.camel.main.Main;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs the hub: the embedded services it is not pointed away from, then Camel. */
public final class Application {

    private static final Logger LOG = LoggerFactory.getLogger(Application.class);
    /** Camel's shutdown timeout (camel.main.shutdown-timeout, 20 s) and time to force what is left. */
    private static final Duration STOP_BOUND = Duration.ofSeconds(40);

    private Application() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> env = System.getenv();
        DevServices services;
        try {
            Ports.requireFree(Integer.parseInt(env.getOrDefault("HUB_HTTP_PORT", "8080")), "hub REST API", "HUB_HTTP_PORT");
            Ports.requireFree(Integer.parseInt(env.getOrDefault("HUB_MANAGEMENT_PORT", "8081")), "hub management",
                    "HUB_MANAGEMENT_PORT");
            services = DevServices.start(DevServices.Settings.fromEnvironment(env));
        } catch (Ports.PortInUseException e) {
            System.err.println("order-hub: " + e.getMessage());
            System.exit(2);
            return;
        }
        Main main = Hub.newMain(services.properties());
        // One ordered shutdown for Ctrl-C and SIGTERM: Camel first (consumers commit, in-flight work
        // finishes), then the servers it was talking to.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            LOG.info("Stopping the hub");
            try {
                stopCamel(main);
            } finally {
                services.close();
            }
        }, "hub-shutdown"));
        try {
            main.run(args);
        } catch (Exception e) {
            LOG.error("The hub failed to start: {}", e.getMessage(), e);
            System.exit(1);
        }
    }

    /**
     * Camel Main's own hook may already be stopping the context: wait for it either way, but not for ever.
     * A stop that hangs past Camel's shutdown timeout is logged with every thread's stack, and the servers
     * are closed after it all the same.
     */
    private static void stopCamel(Main main) {
        Thread stopper = new Thread(main::stop, "hub-stop-camel");
        stopper.setDaemon(true);
        stopper.start();
        CamelContext camel = main.getCamelContext();
        long deadline = System.nanoTime() + STOP_BOUND.toNanos();
        try {
            stopper.join(STOP_BOUND.toMillis());
            while (camel != null && !camel.isStopped() && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        if (stopper.isAlive() || camel != null && !camel.isStopped()) {
            LOG.error("Camel did not stop within {} s; the threads now:{}", STOP_BOUND.toSeconds(), threadDump());
        }
    }

    private static String threadDump() {
        StringBuilder dump = new StringBuilder();
        Thread.getAllStackTraces().forEach((thread, stack) -> {
            dump.append("\n\"").append(thread.getName()).append("\" ").append(thread.getState());
            for (StackTraceElement frame : stack) {
                dump.append("\n    at ").append(frame);
            }
        });
        return dump.toString();
    }
}
