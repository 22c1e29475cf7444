package hub;

import java.util.function.Supplier;

import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;

/**
 * Base of the hub's configuration classes (the shared {@link HubConfiguration} and one per strategy): beans
 * are built from the shared ones in the registry.
 */
public abstract class StrategyConfiguration implements CamelConfiguration, CamelContextAware {

    private CamelContext camel;

    /** A shared bean, e.g. {@code dataSource} or {@code esRestClient} from {@link HubConfiguration}. */
    protected <T> T bean(String name, Class<T> type) {
        return camel.getRegistry().lookupByNameAndType(name, type);
    }

    /** Camel's Micrometer registry, bound by {@link Hub#newMain} before Camel starts. */
    protected Supplier<MeterRegistry> metrics() {
        return () -> camel.getRegistry().lookupByNameAndType("metricsRegistry", MeterRegistry.class);
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
