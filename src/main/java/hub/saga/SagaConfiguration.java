package hub.saga;

import java.time.Duration;

import javax.sql.DataSource;

import hub.StrategyConfiguration;
import hub.health.LraCoordinatorHealthCheck;
import hub.health.SagaServiceHealthCheck;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.Configuration;
import org.apache.camel.PropertyInject;
import org.apache.camel.health.HealthCheckHelper;
import org.apache.camel.saga.InMemorySagaService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The checkout saga's beans (strategy 5), configured from {@code hub.saga.*} and {@code camel.lra.*}. Sagas
 * run on the LRA coordinator; only when LRA is switched off do they run on Camel's in-memory saga service,
 * which the hub then says at start and in its health details.
 */
@Configuration
public class SagaConfiguration extends StrategyConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(SagaConfiguration.class);

    @PropertyInject("hub.saga.step-timeout-ms")
    private long stepTimeoutMs;
    @PropertyInject("camel.lra.enabled")
    private boolean lraEnabled;
    @PropertyInject("camel.lra.coordinator-url")
    private String coordinatorUrl;
    @PropertyInject("camel.lra.local-participant-url")
    private String participantUrl;

    @BindToRegistry
    public SagaLog sagaLog() {
        return new SagaLog(dataSource(), metrics());
    }

    @BindToRegistry
    public Replies replies() {
        return new Replies(metrics());
    }

    @BindToRegistry
    public SagaSteps sagaSteps() {
        return new SagaSteps(bean("sagaLog", SagaLog.class), bean("replies", Replies.class),
                getCamelContext().createProducerTemplate(), Duration.ofMillis(stepTimeoutMs));
    }

    @BindToRegistry
    public CheckoutApi checkoutApi() {
        return new CheckoutApi(bean("sagaLog", SagaLog.class));
    }

    @BindToRegistry
    public InventoryParticipant inventoryParticipant() {
        return new InventoryParticipant(dataSource());
    }

    @BindToRegistry
    public PaymentParticipant paymentParticipant() {
        return new PaymentParticipant(dataSource());
    }

    @BindToRegistry
    public ShipmentParticipant shipmentParticipant() {
        return new ShipmentParticipant(dataSource());
    }

    @Override
    public void configure(CamelContext camel) throws Exception {
        var health = HealthCheckHelper.getHealthCheckRegistry(camel);
        if (lraEnabled) {
            health.register(new LraCoordinatorHealthCheck(coordinatorUrl));
            LOG.info("Checkout sagas run on the LRA coordinator {}; its callbacks come to {}", coordinatorUrl,
                    participantUrl);
        } else {
            camel.addService(new InMemorySagaService(), true, true);
            LOG.warn("No LRA coordinator configured (camel.lra.enabled=false): checkout sagas run on Camel's"
                    + " in-memory saga service, and a saga that is running when the hub stops is neither completed"
                    + " nor compensated");
        }
        health.register(new SagaServiceHealthCheck(lraEnabled, coordinatorUrl, bean("replies", Replies.class)::ignored));
    }

    private DataSource dataSource() {
        return bean("dataSource", DataSource.class);
    }
}
