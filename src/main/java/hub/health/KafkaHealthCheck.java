package hub.health;

import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import org.apache.camel.CamelContext;
import org.apache.camel.Service;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.support.CamelContextHelper;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/** Readiness: the Kafka cluster answers a metadata request. Its admin client closes with Camel. */
public class KafkaHealthCheck extends DependencyHealthCheck implements Service {

    private final Properties config;
    private Admin admin;

    public KafkaHealthCheck(String brokers, CamelContext camel) {
        super("kafka");
        config = adminConfig(brokers, camel);
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 3000);
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 3000);
        config.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1000);
    }

    /** Admin client settings with the same security settings as the hub's Kafka endpoints. */
    public static Properties adminConfig(String brokers, CamelContext camel) {
        Properties config = new Properties();
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, brokers);
        copy(camel, config, "camel.component.kafka.security-protocol", AdminClientConfig.SECURITY_PROTOCOL_CONFIG);
        copy(camel, config, "camel.component.kafka.sasl-mechanism", "sasl.mechanism");
        copy(camel, config, "camel.component.kafka.sasl-jaas-config", "sasl.jaas.config");
        return config;
    }

    private static void copy(CamelContext camel, Properties config, String property, String key) {
        String value = CamelContextHelper.parseText(camel, "{{?" + property + "}}");
        if (value != null && !value.isBlank()) {
            config.put(key, value);
        }
    }

    @Override
    protected synchronized void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        try {
            if (admin == null) {
                admin = Admin.create(config);
            }
            int nodes = admin.describeCluster().nodes().get(4, TimeUnit.SECONDS).size();
            builder.detail("brokers", nodes).up();
        } catch (Exception e) {
            builder.message("Kafka unavailable at " + config.get(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG)
                    + ": " + Checks.reason(e)).down();
        }
    }

    @Override
    public void start() {
        // the admin client is made on first use
    }

    @Override
    public synchronized void stop() {
        if (admin != null) {
            admin.close();
            admin = null;
        }
    }
}
