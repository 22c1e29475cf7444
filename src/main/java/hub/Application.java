package hub;

import java.util.Map;

import hub.dev.DevServices;
import hub.dev.Ports;
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
                main.stop();
            } finally {
                services.close();
            }
        }, "hub-shutdown"));
        main.run(args);
    }
}
