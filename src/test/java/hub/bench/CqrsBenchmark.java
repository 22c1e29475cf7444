package hub.bench;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.main.Main;

/**
 * CQRS through the hub's REST API: commands at {@code bench.rate}/s from {@code bench.concurrency} clients
 * for {@code bench.seconds}; staleness is how long after its 201 an order is visible in a query (measured
 * for every {@code bench.sample}-th command with {@code ?minVersion=1}); then {@code bench.queries} reads
 * of random orders at {@code bench.query-rate}/s. Prints commands/s, command, staleness and query p50/p99.
 */
public final class CqrsBenchmark {

    private static final int RATE = Integer.getInteger("bench.rate", 200);
    private static final int SECONDS = Integer.getInteger("bench.seconds", 20);
    private static final int WARMUP_SECONDS = Integer.getInteger("bench.warmup-seconds", 30);
    private static final int WARMUP_MAX_SECONDS = Integer.getInteger("bench.warmup-max-seconds", 180);
    private static final int WARMUP_STEP_SECONDS = 5;
    private static final int CONCURRENCY = Integer.getInteger("bench.concurrency", 16);
    private static final int SAMPLE = Integer.getInteger("bench.sample", 5);
    private static final int QUERIES = Integer.getInteger("bench.queries", 3000);
    private static final int QUERY_RATE = Integer.getInteger("bench.query-rate", 200);
    private static final ObjectMapper JSON = new ObjectMapper();

    private CqrsBenchmark() {
    }

    public static void main(String[] args) {
        BenchSupport.runAndExit(CqrsBenchmark::measure);
    }

    static List<BenchSupport.Figure> measure(Map<String, String> services) throws Exception {
        // CQRS alone: with change capture on, every order is also read from the binlog and indexed a second time
        // (cdc-orders, the warehouse), on the same two cores; the CDC benchmark measures that path
        Main hub = BenchSupport.startHub(services, Map.of("hub.cdc.enabled", "false"));
        try {
            String documents = services.get("hub.elasticsearch.url") + "/"
                    + hub.getCamelContext().resolvePropertyPlaceholders("{{hub.cqrs.index}}") + "/_doc/";
            return run(BenchSupport.api(hub), services, documents);
        } finally {
            hub.stop();
        }
    }

    private static List<BenchSupport.Figure> run(String base, Map<String, String> services, String documents)
            throws Exception {
        // HTTP/1.1 as the PHP clients speak it; over h2c the JDK client fails a request past the server's stream limit
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        ExecutorService clients = Executors.newFixedThreadPool(CONCURRENCY);
        // staleness probes wait for visibility on threads of their own, so they never hold back commands
        ExecutorService probes = Executors.newCachedThreadPool();
        Window cold = warmUp(http, base, clients, probes);
        for (Future<Long> f : STALENESS) {
            f.get();
        }
        STALENESS.clear();
        PROBED.clear();

        long begin = System.nanoTime();
        List<Future<long[]>> results = send(http, base, clients, probes, RATE * SECONDS, RATE);
        List<Long> commands = new ArrayList<>();
        for (Future<long[]> f : results) {
            commands.add(f.get()[0]);
        }
        double seconds = (System.nanoTime() - begin) / 1e9;
        List<Long> staleness = sortedNanos(STALENESS);
        List<String> stages = stages(http, base, services);
        List<String> uuids = new ArrayList<>(ORDERS);
        // queries read orders the read model has: wait until it caught up with the last commands
        for (String uuid : uuids.subList(Math.max(0, uuids.size() - 20), uuids.size())) {
            awaitVisible(http, base, uuid);
        }

        // the same gets straight from Elasticsearch first: what the hub adds to a query is the difference
        List<Long> direct = paced(http, clients, uuids, documents);
        long readsBegin = System.nanoTime();
        List<Long> queries = paced(http, clients, uuids, base + "/api/orders/");
        double readSeconds = (System.nanoTime() - readsBegin) / 1e9;
        clients.shutdown();
        probes.shutdown();
        clients.awaitTermination(1, TimeUnit.MINUTES);

        Collections.sort(commands);
        System.out.printf("%nCQRS benchmark (%s): %d commands at %d/s from %d clients, then %d queries at %d/s%n",
                BenchSupport.machine(), commands.size(), RATE, CONCURRENCY, QUERIES, QUERY_RATE);
        System.out.printf("%-40s %10s %10s %10s%n", "measure", "per s", "p50 ms", "p99 ms");
        System.out.printf("%-40s %10.0f %10.1f %10.1f%n", "commands (POST /api/orders)", commands.size() / seconds,
                ms(commands, 0.5), ms(commands, 0.99));
        System.out.printf("%-40s %10s %10.1f %10.1f%n", "staleness (201 to visible in a query)", "",
                ms(staleness, 0.5), ms(staleness, 0.99));
        stages.forEach(System.out::println);
        System.out.printf("%-40s %10s %10.1f %10.1f%n", "  commands, first %d s of the warm-up".formatted(SECONDS), "",
                ms(cold.commands(), 0.5), ms(cold.commands(), 0.99));
        System.out.printf("%-40s %10s %10.1f %10.1f%n", "  staleness, first %d s of the warm-up".formatted(SECONDS), "",
                ms(cold.staleness(), 0.5), ms(cold.staleness(), 0.99));
        System.out.printf("%-40s %10.0f %10.1f %10.1f%n", "queries (GET /api/orders/{uuid})", QUERIES / readSeconds,
                ms(queries, 0.5), ms(queries, 0.99));
        System.out.printf("%-40s %10s %10.1f %10.1f%n", "  baseline: Elasticsearch GET _doc direct", "",
                ms(direct, 0.5), ms(direct, 0.99));
        return List.of(
                new BenchSupport.Figure("CQRS", "commands POST /api/orders at %d/s, answer time".formatted(RATE),
                        commands.size() / seconds, "commands", ms(commands, 0.5), ms(commands, 0.99)),
                new BenchSupport.Figure("CQRS", "staleness: 201 to visible in a query (every %dth)".formatted(SAMPLE),
                        Double.NaN, "", ms(staleness, 0.5), ms(staleness, 0.99)),
                new BenchSupport.Figure("CQRS", "queries GET /api/orders/{uuid} at %d/s".formatted(QUERY_RATE),
                        QUERIES / readSeconds, "queries", ms(queries, 0.5), ms(queries, 0.99)));
    }

    /**
     * Sends the measured load until the hub's JIT has settled: at least {@code WARMUP_SECONDS}, then until its
     * compilers worked less than a tenth of the last step, at most {@code WARMUP_MAX_SECONDS}. On two cores a
     * freshly started hub's C2 compiler takes most of a core for a minute or two of this load, and that CPU
     * is what the measured requests would wait for.
     */
    private static Window warmUp(HttpClient http, String base, ExecutorService clients, ExecutorService probes)
            throws Exception {
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        long begin = System.nanoTime();
        List<Long> coldCommands = new ArrayList<>();
        List<Future<Long>> coldStaleness = null;
        while (true) {
            long compiledBefore = jit.getTotalCompilationTime();
            long stepBegin = System.nanoTime();
            for (Future<long[]> f : send(http, base, clients, probes, RATE * WARMUP_STEP_SECONDS, RATE)) {
                long nanos = f.get()[0];
                if (coldStaleness == null) {
                    coldCommands.add(nanos);
                }
            }
            double jitShare = (jit.getTotalCompilationTime() - compiledBefore) * 1e6 / (System.nanoTime() - stepBegin);
            double seconds = (System.nanoTime() - begin) / 1e9;
            if (coldStaleness == null && seconds >= SECONDS) {
                synchronized (STALENESS) {
                    coldStaleness = new ArrayList<>(STALENESS);
                }
            }
            // the cold window is taken first, whatever the warm-up bounds are
            if (coldStaleness != null && (seconds >= WARMUP_SECONDS && jitShare < 0.1 || seconds >= WARMUP_MAX_SECONDS)) {
                System.out.printf("warm-up: %.0f s at %d commands/s; the JIT compiled %.0f%% of the last %d s%n",
                        seconds, RATE, jitShare * 100, WARMUP_STEP_SECONDS);
                Collections.sort(coldCommands);
                return new Window(coldCommands, sortedNanos(coldStaleness));
            }
        }
    }

    /** Sorted command and staleness nanos of a stretch of the load. */
    private record Window(List<Long> commands, List<Long> staleness) {
    }

    /** {@code QUERIES} gets of random orders at {@code prefix + uuid}, paced at {@code QUERY_RATE}; sorted nanos. */
    private static List<Long> paced(HttpClient http, ExecutorService clients, List<String> uuids, String prefix)
            throws Exception {
        long begin = System.nanoTime();
        List<Future<Long>> reads = new ArrayList<>();
        for (int i = 0; i < QUERIES; i++) {
            pace(begin, i, QUERY_RATE);
            String uuid = uuids.get(ThreadLocalRandom.current().nextInt(uuids.size()));
            reads.add(clients.submit(() -> time(http, HttpRequest.newBuilder(URI.create(prefix + uuid)).build())));
        }
        return sortedNanos(reads);
    }

    private static List<Long> sortedNanos(List<Future<Long>> results) throws Exception {
        List<Long> nanos = new ArrayList<>();
        for (Future<Long> f : results) {
            nanos.add(f.get());
        }
        Collections.sort(nanos);
        return nanos;
    }

    private static final List<String> ORDERS = Collections.synchronizedList(new ArrayList<>());
    private static final List<Future<Long>> STALENESS = Collections.synchronizedList(new ArrayList<>());
    /** uuid to {201 wall-clock ms, visible wall-clock ms} of the probed commands. */
    private static final Map<String, long[]> PROBED = new ConcurrentHashMap<>();

    /**
     * Where the staleness of the probed commands went, from the clocks of one machine: 201 to the outbox row
     * marked published (relay poll and Kafka ack), to the read model building the document ({@code indexed_at}:
     * delivery and batching), to visible in a query (the bulk request and the reader's wake-up).
     */
    private static List<String> stages(HttpClient http, String base, Map<String, String> services) throws Exception {
        List<Long> relayed = new ArrayList<>();
        List<Long> consumed = new ArrayList<>();
        List<Long> indexed = new ArrayList<>();
        try (Connection db = BenchSupport.connect(services);
             PreparedStatement published = db.prepareStatement("SELECT UNIX_TIMESTAMP(published_at) * 1000"
                     + " FROM order_outbox WHERE aggregate_uuid = ? AND event_type = 'OrderCreated'")) {
            for (Map.Entry<String, long[]> probe : PROBED.entrySet()) {
                published.setString(1, probe.getKey());
                long relayedAt;
                try (ResultSet rs = published.executeQuery()) {
                    rs.next();
                    relayedAt = rs.getBigDecimal(1).longValue();
                }
                HttpResponse<String> doc = http.send(HttpRequest.newBuilder(URI.create(base + "/api/orders/"
                        + probe.getKey())).build(), HttpResponse.BodyHandlers.ofString());
                long builtAt = Instant.parse(JSON.readTree(doc.body()).get("indexed_at").asText()).toEpochMilli();
                relayed.add((relayedAt - probe.getValue()[0]) * 1_000_000);
                consumed.add((builtAt - relayedAt) * 1_000_000);
                indexed.add((probe.getValue()[1] - builtAt) * 1_000_000);
            }
        }
        Collections.sort(relayed);
        Collections.sort(consumed);
        Collections.sort(indexed);
        return List.of(
                "%-40s %10s %10.1f %10.1f".formatted("  201 to relayed (outbox published)", "", ms(relayed, 0.5), ms(relayed, 0.99)),
                "%-40s %10s %10.1f %10.1f".formatted("  relayed to read model (indexed_at)", "", ms(consumed, 0.5), ms(consumed, 0.99)),
                "%-40s %10s %10.1f %10.1f".formatted("  read model to visible (bulk, wake-up)", "", ms(indexed, 0.5), ms(indexed, 0.99)));
    }

    /** {@code count} commands paced at {@code rate}/s; each result is {command nanos}. */
    private static List<Future<long[]>> send(HttpClient http, String base, ExecutorService clients,
                                             ExecutorService probes, int count, int rate) throws InterruptedException {
        List<Future<long[]>> results = new ArrayList<>();
        long start = System.nanoTime();
        for (int i = 0; i < count; i++) {
            pace(start, i, rate);
            boolean sampled = i % SAMPLE == 0;
            results.add(clients.submit(() -> command(http, base, sampled ? probes : null)));
        }
        return results;
    }

    /** Paces a loop at {@code rate}/s: the i-th request is handed to the clients at its time. */
    private static void pace(long start, int i, int rate) throws InterruptedException {
        long wait = start + (long) (i * 1e9 / rate) - System.nanoTime();
        if (wait > 0) {
            TimeUnit.NANOSECONDS.sleep(wait);
        }
    }

    private static long[] command(HttpClient http, String base, ExecutorService probes) throws Exception {
        String body = "{\"user_id\":" + ThreadLocalRandom.current().nextInt(1, 5000) + ",\"currency\":\"EUR\","
                + "\"items\":[{\"sku\":\"SKU-" + ThreadLocalRandom.current().nextInt(1000) + "\",\"qty\":2,\"price\":9.99}]}";
        long t0 = System.nanoTime();
        HttpResponse<String> created = http.send(HttpRequest.newBuilder(URI.create(base + "/api/orders"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        long accepted = System.nanoTime();
        if (created.statusCode() != 201) {
            throw new IllegalStateException("command refused: " + created.statusCode() + " " + created.body());
        }
        String uuid = JSON.readTree(created.body()).get("uuid").asText();
        ORDERS.add(uuid);
        if (probes != null) {
            long acceptedAt = System.currentTimeMillis();
            STALENESS.add(probes.submit(() -> {
                awaitVisible(http, base, uuid);
                PROBED.put(uuid, new long[] {acceptedAt, System.currentTimeMillis()});
                return System.nanoTime() - accepted;
            }));
        }
        return new long[] {accepted - t0};
    }

    /** The hub waits up to hub.cqrs.min-version-wait-ms per call, then answers 409: ask again. */
    private static void awaitVisible(HttpClient http, String base, String uuid) throws Exception {
        HttpRequest visible = HttpRequest.newBuilder(URI.create(base + "/api/orders/" + uuid + "?minVersion=1")).build();
        for (int tries = 0; http.send(visible, HttpResponse.BodyHandlers.discarding()).statusCode() != 200; tries++) {
            if (tries == 60) {
                throw new IllegalStateException("order " + uuid + " not visible after 2 minutes");
            }
        }
    }

    private static long time(HttpClient http, HttpRequest request) throws Exception {
        long t0 = System.nanoTime();
        HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("query answered " + r.statusCode());
        }
        return System.nanoTime() - t0;
    }

    private static double ms(List<Long> sortedNanos, double p) {
        return BenchSupport.percentile(sortedNanos, p) / 1e6;
    }
}
