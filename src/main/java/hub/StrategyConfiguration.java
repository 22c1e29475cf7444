package hub;

import java.util.HashMap;
import java.util.Map;
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
    private final Map<String, Object> built = new HashMap<>();

    /** A shared bean, e.g. {@code dataSource} or {@code esRestClient} from {@link HubConfiguration}. */
    protected <T> T bean(String name, Class<T> type) {
        return camel.getRegistry().lookupByNameAndType(name, type);
    }

    /**
     * What {@code create} builds, built once per configuration instance. Camel Main (4.17) post-processes a
     * class from {@code camel.main.configuration-classes} twice, so each {@code @BindToRegistry} method runs twice:
     * a pool or client built in both passes would leave the first open, unused and never closed (twice the
     * database connections). Reentrant, so one bound method may build through another.
     */
    @SuppressWarnings("unchecked")
    protected synchronized <T> T once(String name, Supplier<T> create) {
        Object bean = built.get(name);
        if (bean == null) {
            bean = create.get();
            built.put(name, bean);
        }
        return (T) bean;
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
