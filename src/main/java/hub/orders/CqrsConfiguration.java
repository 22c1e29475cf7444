package hub.orders;

import java.time.Duration;

import javax.sql.DataSource;

import hub.StrategyConfiguration;
import routes.DeadLetterRoutes;
import org.apache.camel.BindToRegistry;
import org.apache.camel.Configuration;
import org.apache.camel.PropertyInject;
import org.elasticsearch.client.RestClient;

/** The CQRS strategy's beans (strategy 3), configured from {@code hub.cqrs.*}. */
@Configuration
public class CqrsConfiguration extends StrategyConfiguration {

    @PropertyInject("hub.cqrs.index")
    private String index;
    @PropertyInject("hub.cqrs.min-version-wait-ms")
    private long minVersionWaitMs;

    private final ReadModelSignals signals = new ReadModelSignals();

    @BindToRegistry
    public OrderCommands orderCommands() {
        return new OrderCommands(bean("dataSource", DataSource.class));
    }

    @BindToRegistry
    public OrderReadModel orderReadModel() {
        return new OrderReadModel(search(), index, getCamelContext().createProducerTemplate(), DeadLetterRoutes.ENDPOINT,
                signals);
    }

    @BindToRegistry
    public OrdersApi ordersApi() {
        return new OrdersApi(bean("orderCommands", OrderCommands.class),
                new OrderQueries(search(), index, Duration.ofMillis(minVersionWaitMs), signals));
    }

    private RestClient search() {
        return bean("esRestClient", RestClient.class);
    }
}
