package hub.bench;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Every benchmark in one run, on one set of embedded services, then one table: the broker's own baseline
 * (plain kafka-clients), then each strategy through the hub, each with a hub of its own started as the
 * application builds it. The event sourcing benchmark runs first, on an empty database, because it counts the
 * rows it waits for.
 *
 * <p>Sizes are each benchmark's own {@code bench.*} properties; two defaults are smaller here so the whole run
 * stays within about ten minutes on two cores: {@code bench.events} 300,000 (1,000,000 alone) and
 * {@code bench.rates} 1000,2000,4000 (six steps alone). Both are read when their benchmark class loads, after
 * these defaults are set.
 */
public final class BenchAll {

    private BenchAll() {
    }

    public static void main(String[] args) {
        System.setProperty("bench.events", System.getProperty("bench.events", "300000"));
        System.setProperty("bench.rates", System.getProperty("bench.rates", "1000,2000,4000"));
        BenchSupport.runAndExit(BenchAll::measure);
    }

    private static List<BenchSupport.Figure> measure(Map<String, String> services) throws Exception {
        long begin = System.nanoTime();
        List<BenchSupport.Figure> figures = new ArrayList<>();
        figures.addAll(BrokerBaseline.measure(services));
        figures.addAll(EventSourcingBenchmark.measure(services));
        figures.addAll(QueueBenchmark.measure(services));
        figures.addAll(CqrsBenchmark.measure(services));
        figures.addAll(SagaBenchmark.measure(services));
        figures.addAll(CdcBenchmark.measure(services));
        print(figures, (System.nanoTime() - begin) / 1e9);
        return figures;
    }

    /** The first figure is the baseline: each rate is divided by its records/s, each p99 by its p99. */
    private static void print(List<BenchSupport.Figure> figures, double seconds) {
        BenchSupport.Figure base = figures.get(0);
        System.out.printf("%nAll benchmarks, %s, %s, %.0f s in all%n", BenchSupport.machine(),
                Instant.now().truncatedTo(ChronoUnit.SECONDS), seconds);
        System.out.println("rate/base = the line's rate (its own unit per s) / the baseline's records/s;"
                + " p99/base = the line's p99 / the baseline's p99");
        String format = "%-15s | %-68s | %20s | %9s | %9s | %9s | %8s%n";
        System.out.printf(format, "strategy", "measured", "throughput", "p50 ms", "p99 ms", "rate/base", "p99/base");
        for (BenchSupport.Figure f : figures) {
            boolean rate = !Double.isNaN(f.perSecond());
            System.out.printf(format, f.strategy(), f.measure(),
                    rate ? "%,.0f %s/s".formatted(f.perSecond(), f.unit()) : "-", number(f.p50Ms()), number(f.p99Ms()),
                    rate ? "%.3g".formatted(f.perSecond() / base.perSecond()) : "-",
                    Double.isNaN(f.p99Ms()) ? "-" : "%.1f".formatted(f.p99Ms() / base.p99Ms()));
        }
    }

    private static String number(double ms) {
        return Double.isNaN(ms) ? "-" : ms >= 100 ? "%,.0f".formatted(ms) : "%.1f".formatted(ms);
    }
}
