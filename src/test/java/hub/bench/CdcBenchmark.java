package hub.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import hub.cdc.CdcEngineStatus;
import org.apache.camel.main.Main;

/**
 * CDC end to end: rows committed into {@code orders} at a rising rate ({@code bench.rates}, rows/s, each for
 * {@code bench.step-seconds}), captured from the binlog by the hub's engine, published to Kafka and applied to
 * Elasticsearch and the warehouse. A poller sees each document appear in {@code cdc-orders}; for each step it
 * prints rows written and made visible per second, the backlog (committed, not yet visible) at the step's end,
 * and p50/p99 from commit to visible. The sustained rate is the highest step that kept up: at its end at most
 * 2 s of its writes were still on their way.
 */
public final class CdcBenchmark {

    private static final int[] RATES = Arrays.stream(System.getProperty("bench.rates", "250,500,1000,2000,3000,4000")
            .split(",")).mapToInt(Integer::parseInt).toArray();
    private static final int STEP_SECONDS = Integer.getInteger("bench.step-seconds", 10);
    private static final int TICK_MS = 10;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** id → nanos at commit, and id → nanos when first seen in Elasticsearch. */
    private static final Map<Long, Long> COMMITTED = new ConcurrentHashMap<>();
    private static final Map<Long, Long> VISIBLE = new ConcurrentHashMap<>();

    private CdcBenchmark() {
    }

    public static void main(String[] args) {
        BenchSupport.runAndExit(CdcBenchmark::measure);
    }

    static List<BenchSupport.Figure> measure(Map<String, String> services) throws Exception {
        Main hub = BenchSupport.startHub(services, Map.of());
        try {
            CdcEngineStatus engine = hub.getCamelContext().getRegistry()
                    .lookupByNameAndType("cdcEngineStatus", CdcEngineStatus.class);
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
            while (engine.state() != CdcEngineStatus.State.STREAMING) {
                if (System.nanoTime() > deadline || engine.state() == CdcEngineStatus.State.FAILED) {
                    throw new IllegalStateException("CDC engine not streaming: " + engine.status().reason());
                }
                Thread.sleep(200);
            }
            return run(services);
        } finally {
            hub.stop();
        }
    }

    private static List<BenchSupport.Figure> run(Map<String, String> services) throws Exception {
        Poller poller = new Poller(services.get("hub.elasticsearch.url") + "/cdc-orders/_search");
        Thread pollThread = new Thread(poller, "cdc-bench-poller");
        pollThread.setDaemon(true);
        pollThread.start();

        List<String> lines = new ArrayList<>();
        int sustained = 0;
        BenchSupport.Figure best = null;
        try (Connection db = BenchSupport.connect(services)) {
            // warm-up: the JIT compiles the capture and sync paths before anything is measured
            write(db, 500, 5, new ArrayList<>());
            awaitVisible(Duration.ofSeconds(60));
            for (int rate : RATES) {
                List<Long> ids = new ArrayList<>();
                long begin = System.nanoTime();
                int visibleBefore = VISIBLE.size();
                write(db, rate, STEP_SECONDS, ids);
                double seconds = (System.nanoTime() - begin) / 1e9;
                long backlog = COMMITTED.size() - VISIBLE.size();
                int madeVisible = VISIBLE.size() - visibleBefore;
                // latency of this step's rows (those not visible yet get their time once they are)
                awaitVisible(ids, Duration.ofSeconds(120));
                List<Long> latency = new ArrayList<>();
                for (long id : ids) {
                    latency.add(VISIBLE.get(id) - COMMITTED.get(id));
                }
                Collections.sort(latency);
                // kept up: at the step's end at most 2 s of writes are still on their way
                boolean kept = backlog <= 2L * rate;
                if (kept && ids.size() / seconds > sustained) {
                    sustained = (int) (ids.size() / seconds);
                    best = new BenchSupport.Figure("CDC", "row commit to visible in Elasticsearch, best step that kept up",
                            sustained, "rows", ms(latency, 0.5), ms(latency, 0.99));
                }
                lines.add(String.format("%10d %12.0f %12.0f %10d %10.0f %10.0f %s", rate, ids.size() / seconds,
                        madeVisible / seconds, backlog, ms(latency, 0.5), ms(latency, 0.99), kept ? "" : "backlog grows"));
                // the next step starts from an empty pipeline
                awaitVisible(Duration.ofSeconds(120));
            }
        } finally {
            poller.stop();
        }
        System.out.printf("%nCDC benchmark (%s): rows committed into orders at rising rates, %d s per step,"
                + " commit to visible in Elasticsearch (refresh 1 s)%n", BenchSupport.machine(), STEP_SECONDS);
        System.out.printf("%10s %12s %12s %10s %10s %10s%n", "target/s", "written/s", "visible/s", "backlog", "p50 ms",
                "p99 ms");
        lines.forEach(System.out::println);
        System.out.printf("sustained without a growing backlog: %d rows/s (goal 2,000 rows/s, p99 under 2 s)%n",
                sustained);
        if (best == null) {
            throw new IllegalStateException("no step of " + Arrays.toString(RATES) + " rows/s kept up");
        }
        return List.of(best);
    }

    /** Commits {@code rate} rows a second for {@code seconds}: one multi-row insert per 10 ms tick. */
    private static void write(Connection db, int rate, int seconds, List<Long> ids) throws Exception {
        int ticks = seconds * 1000 / TICK_MS;
        double perTick = rate * TICK_MS / 1000.0;
        long start = System.nanoTime();
        double owed = 0;
        for (int tick = 0; tick < ticks; tick++) {
            long due = start + TimeUnit.MILLISECONDS.toNanos((long) tick * TICK_MS);
            long wait = due - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            owed += perTick;
            int rows = (int) owed;
            owed -= rows;
            if (rows == 0) {
                continue;
            }
            StringBuilder sql = new StringBuilder(
                    "INSERT INTO orders (uuid, user_id, status, total, currency, version) VALUES ");
            for (int i = 0; i < rows; i++) {
                sql.append(i == 0 ? "" : ",").append("(?, ?, 'pending', 19.99, 'EUR', 1)");
            }
            try (PreparedStatement st = db.prepareStatement(sql.toString(), Statement.RETURN_GENERATED_KEYS)) {
                for (int i = 0; i < rows; i++) {
                    st.setString(2 * i + 1, UUID.randomUUID().toString());
                    st.setLong(2 * i + 2, 1 + tick % 1000);
                }
                st.executeUpdate();
                long committed = System.nanoTime();
                // MariaDB answers the first id of a multi-row insert; the others follow it (one writer, and
                // InnoDB hands a simple insert consecutive auto-increment values)
                try (ResultSet keys = st.getGeneratedKeys()) {
                    keys.next();
                    long first = keys.getLong(1);
                    for (long id = first; id < first + rows; id++) {
                        COMMITTED.put(id, committed);
                        ids.add(id);
                    }
                }
            }
        }
    }

    private static void awaitVisible(Duration timeout) throws InterruptedException {
        awaitVisible(new ArrayList<>(COMMITTED.keySet()), timeout);
    }

    private static void awaitVisible(List<Long> ids, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (long id : ids) {
            while (!VISIBLE.containsKey(id)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("row " + id + " not visible in Elasticsearch after " + timeout);
                }
                Thread.sleep(20);
            }
        }
    }

    private static double ms(List<Long> sortedNanos, double p) {
        return BenchSupport.percentile(sortedNanos, p) / 1e6;
    }

    /** Every 50 ms asks for the documents above the highest id below which all are seen, and notes the new ones. */
    private static final class Poller implements Runnable {

        private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        private final String searchUrl;
        private volatile boolean running = true;
        private long watermark;

        Poller(String searchUrl) {
            this.searchUrl = searchUrl;
        }

        @Override
        public void run() {
            while (running) {
                try {
                    String query = "{\"size\":10000,\"_source\":false,\"sort\":[{\"id\":\"asc\"}],"
                            + "\"docvalue_fields\":[\"id\"],\"query\":{\"range\":{\"id\":{\"gt\":" + watermark + "}}}}";
                    HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(searchUrl))
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(query)).build(), HttpResponse.BodyHandlers.ofString());
                    long seen = System.nanoTime();
                    if (answer.statusCode() == 200) {
                        for (JsonNode hit : JSON.readTree(answer.body()).at("/hits/hits")) {
                            long id = hit.at("/fields/id/0").asLong();
                            // only this benchmark's rows: under bench-all, the CQRS orders are captured too
                            if (COMMITTED.containsKey(id)) {
                                VISIBLE.putIfAbsent(id, seen);
                            }
                        }
                        // ids that were never committed (gaps) do not hold the watermark back
                        long highest = COMMITTED.keySet().stream().mapToLong(Long::longValue).max().orElse(0);
                        while (watermark < highest
                                && (VISIBLE.containsKey(watermark + 1) || !COMMITTED.containsKey(watermark + 1))) {
                            watermark++;
                        }
                    }
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    return;
                } catch (Exception retry) {
                    // the index may not exist yet
                }
            }
        }

        void stop() {
            running = false;
        }
    }
}
