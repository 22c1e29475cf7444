package hub;

import java.time.Duration;
import java.util.List;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * The Prometheus registry Camel's metrics and the hub's own go to. Camel's timers (one per route) publish
 * histogram buckets, so p50 and p99 per route are a PromQL {@code histogram_quantile}, summed over replicas.
 */
final class HubMetrics {

    /** the name camel-micrometer looks the registry up by */
    static final String REGISTRY = "metricsRegistry";

    /** route durations: a message, a batch, a saga step */
    private static final List<Long> ROUTE_BUCKETS_MS = List.of(5L, 10L, 25L, 50L, 100L, 250L, 500L, 1000L, 2500L,
            5000L, 10000L, 30000L);

    private HubMetrics() {
    }

    static PrometheusMeterRegistry newRegistry() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        registry.config().meterFilter(new MeterFilter() {
            @Override
            public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
                if (id.getType() != Meter.Type.TIMER || !id.getName().startsWith("camel.")) {
                    return config;
                }
                return DistributionStatisticConfig.builder().serviceLevelObjectives(ROUTE_BUCKETS_MS.stream()
                        .mapToDouble(ms -> Duration.ofMillis(ms).toNanos()).toArray()).build().merge(config);
            }
        });
        return registry;
    }
}
