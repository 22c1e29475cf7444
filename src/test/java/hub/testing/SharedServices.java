package hub.testing;

import java.nio.file.Path;
import java.util.Map;

import hub.dev.DevServices;
import hub.dev.ElasticsearchServer;
import hub.dev.KafkaServer;
import hub.dev.MariaDbServer;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Starts the real Kafka broker, MariaDB, Elasticsearch node and LRA coordinator once per test run, on free
 * ports (so the suite runs beside a running hub), and stops them when the run ends.
 */
public final class SharedServices implements BeforeAllCallback {

    private static DevServices services;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        start(context);
    }

    private static synchronized void start(ExtensionContext context) throws Exception {
        if (services == null) {
            services = DevServices.start(DevServices.Settings.forTests(Path.of("target", "test-services")));
            // closed when the root context closes, after the last test class
            context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL).put(SharedServices.class.getName(), services);
        }
    }

    public static Map<String, String> properties() {
        return services.properties();
    }

    /** The broker's listener that needs SASL/PLAIN, and its user. */
    public static KafkaServer.SaslListener kafkaSasl() {
        return services.kafkaSasl();
    }

    /** The Hawtio console of this JVM, e.g. {@code http://127.0.0.1:port/hawtio/}. */
    public static String hawtioUrl() {
        return services.hawtioUrl();
    }

    public static ElasticsearchServer elasticsearch() {
        return services.elasticsearch();
    }

    public static KafkaServer kafka() {
        return services.kafka();
    }

    public static MariaDbServer database() {
        return services.database();
    }
}
