package hub;

import java.util.Map;
import java.util.concurrent.TimeUnit;

import hub.dev.DevServices;
import hub.dev.Ports;
import org.apache.camel.CamelContext;
import org.apache.camel.main.Main;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs the hub: the embedded services it is not pointed away from, then Camel. */
public final class Application {

    private static final Logger LOG = LoggerFactory.getLogger(Application.class);

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

    /** Camel Main's own hook may already be stopping the context: wait for it either way. */
    private static void stopCamel(Main main) {
        main.stop();
        CamelContext camel = main.getCamelContext();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (camel != null && !camel.isStopped() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
