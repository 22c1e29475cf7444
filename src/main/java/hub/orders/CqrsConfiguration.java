package hub.orders;

import java.time.Duration;

import javax.sql.DataSource;

import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.apache.camel.Configuration;
import org.apache.camel.PropertyInject;
import org.elasticsearch.client.RestClient;

/** The CQRS strategy's beans (strategy 3), configured from {@code hub.cqrs.*}. */
@Configuration
public class CqrsConfiguration implements CamelConfiguration, CamelContextAware {

    @PropertyInject("hub.cqrs.index")
    private String index;
    @PropertyInject("hub.cqrs.min-version-wait-ms")
    private long minVersionWaitMs;

    private CamelContext camel;

    @BindToRegistry
    public OrderCommands orderCommands() {
        return new OrderCommands(camel.getRegistry().lookupByNameAndType("dataSource", DataSource.class));
    }

    @BindToRegistry
    public OrderReadModel orderReadModel() {
        return new OrderReadModel(search(), index);
    }

    @BindToRegistry
    public OrdersApi ordersApi() {
        return new OrdersApi(camel.getRegistry().lookupByNameAndType("orderCommands", OrderCommands.class),
                new OrderQueries(search(), index, Duration.ofMillis(minVersionWaitMs)));
    }

    private RestClient search() {
        return camel.getRegistry().lookupByNameAndType("esRestClient", RestClient.class);
    }

    @Override
    public void setCamelContext(CamelContext camelContext) {
        this.camel = camelContext;
    }

    @Override
    public CamelContext getCamelContext() {
        return camel;
    }
}
