package hub.events;

import javax.sql.DataSource;

import hub.StrategyConfiguration;
import hub.health.KafkaHealthCheck;
import hub.kafka.ConsumerLag;
import routes.DeadLetterRoutes;
import org.apache.camel.BindToRegistry;
import org.apache.camel.Configuration;
import org.apache.camel.PropertyInject;

/** The event sourcing strategy's beans (strategy 2), configured from {@code hub.events.*}. */
@Configuration
public class EventSourcingConfiguration extends StrategyConfiguration {

    @PropertyInject("hub.kafka.brokers")
    private String brokers;
    @PropertyInject("hub.events.topic")
    private String topic;
    @PropertyInject("hub.events.projector-group")
    private String projectorGroup;
    @PropertyInject("hub.events.snapshot-every")
    private int snapshotEvery;
    @PropertyInject("hub.events.default-currency")
    private String defaultCurrency;
    @PropertyInject("hub.events.rebuild-batch")
    private int rebuildBatch;
    @PropertyInject("hub.events.rebuild-memory-orders")
    private int rebuildMemoryOrders;
    @PropertyInject("hub.events.rebuild-write-every")
    private int rebuildWriteEvery;

    // one instance each, shared by the routes and the API (bound methods may call each other in any order)
    @BindToRegistry
    public EventStore eventStore() {
        return once("eventStore", () -> new EventStore(dataSource(), events(), snapshotEvery,
                getCamelContext().createProducerTemplate(), DeadLetterRoutes.ENDPOINT));
    }

    @BindToRegistry
    public OrderProjector orderProjector() {
        return once("orderProjector", () -> new OrderProjector(dataSource(), events(),
                getCamelContext().createProducerTemplate(), DeadLetterRoutes.ENDPOINT, metrics()));
    }

    @BindToRegistry
    public EventsApi eventsApi() {
        return once("eventsApi", () -> {
            ProjectionRebuild rebuild = new ProjectionRebuild(orderProjector(), events(), dataSource(),
                    KafkaHealthCheck.adminConfig(brokers, getCamelContext()), topic, rebuildBatch,
                    rebuildMemoryOrders, rebuildWriteEvery,
                    getCamelContext().getExecutorServiceManager().newSingleThreadExecutor(this, "projection-rebuild"));
            return new EventsApi(eventStore(), orderProjector(), rebuild, bean("consumerLag", ConsumerLag.class),
                    topic, projectorGroup);
        });
    }

    private OrderEvents events() {
        return once("events", () -> new OrderEvents(new EventSchemas(), new Upcasters(defaultCurrency)));
    }

    private DataSource dataSource() {
        return bean("dataSource", DataSource.class);
    }
}
