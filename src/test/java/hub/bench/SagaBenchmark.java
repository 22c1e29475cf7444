package hub.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.apache.camel.main.Main;

/**
 * The checkout saga under load: {@code bench.sagas} (1,000) checkouts posted at once from
 * {@code bench.clients} threads, every 5th with a card that is declined (20%). Each order takes one unit of
 * a sku of its own and one of a shared hot sku. Prints sagas/s and the p50/p99 saga latency (from the
 * saga's start to its end at the coordinator, as the hub recorded them), then checks the invariants:
 * failed orders left their sku's stock + reserved unchanged, completed ones took exactly one unit, and
 * nothing stays reserved.
 */
public final class SagaBenchmark {

    private static final int SAGAS = Integer.getInteger("bench.sagas", 1000);
    private static final int CLIENTS = Integer.getInteger("bench.clients", 50);
    private static final int WARMUP = Integer.getInteger("bench.warmup", 100);
    private static final int STOCK = 10;
    private static final int HOT_STOCK = 1_000_000;

    private SagaBenchmark() {
    }

    public static void main(String[] args) {
        BenchSupport.runAndExit(SagaBenchmark::measure);
    }

    static List<BenchSupport.Figure> measure(Map<String, String> services) throws Exception {
        // a burst queues behind hub.saga.concurrency running sagas: the time limit must cover the wait
        Main hub = BenchSupport.startHub(services,
                Map.of("hub.saga.timeout-ms", "600000", "hub.saga.step-timeout-ms", "60000"));
        try (Connection db = BenchSupport.connect(services)) {
            return run(BenchSupport.api(hub), db);
        } finally {
            hub.stop();
        }
    }

    private static List<BenchSupport.Figure> run(String base, Connection db) throws Exception {
        // HTTP/1.1 as the PHP clients speak it; over h2c the JDK client fails a request past the server's stream limit
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        awaitApi(http, base);
        update(db, "INSERT INTO inventory (sku, stock, reserved) VALUES ('BENCH-HOT', ?, 0)", HOT_STOCK);
        for (int i = 0; i < WARMUP + SAGAS; i++) {
            update(db, "INSERT INTO inventory (sku, stock, reserved) VALUES (?, ?, 0)", "BENCH-" + i, STOCK);
        }
        // warm-up: the JIT compiles the saga path, every consumer has its partitions
        post(http, base, clients, 0, WARMUP);
        awaitFinished(db, "warm-", WARMUP);

        long begin = System.nanoTime();
        post(http, base, clients, WARMUP, SAGAS);
        double postSeconds = (System.nanoTime() - begin) / 1e9;
        awaitFinished(db, "bench-", SAGAS);
        clients.shutdown();
        clients.awaitTermination(1, TimeUnit.MINUTES);

        List<Long> latencies = BenchSupport.longs(db, "SELECT TIMESTAMPDIFF(MICROSECOND, created_at, finished_at)"
                + " FROM checkout_sagas WHERE order_id LIKE 'bench-%'");
        Collections.sort(latencies);
        long spanMicros = BenchSupport.longs(db, "SELECT TIMESTAMPDIFF(MICROSECOND, MIN(created_at), MAX(finished_at))"
                + " FROM checkout_sagas WHERE order_id LIKE 'bench-%'").get(0);
        long completed = count(db, "SELECT COUNT(*) FROM checkout_sagas WHERE order_id LIKE 'bench-%' AND state = 'COMPLETED'");
        long compensated = count(db, "SELECT COUNT(*) FROM checkout_sagas WHERE order_id LIKE 'bench-%' AND state = 'COMPENSATED'");

        System.out.printf("%nSaga benchmark (%s): %d checkouts posted at once from %d clients in %.1f s, 20%% declined%n",
                BenchSupport.machine(), SAGAS, CLIENTS, postSeconds);
        System.out.printf("%-28s %10s %10s %10s%n", "measure", "sagas/s", "p50 ms", "p99 ms");
        System.out.printf("%-28s %10.1f %10.1f %10.1f%n", "saga (start to end)", SAGAS / (spanMicros / 1e6),
                BenchSupport.percentile(latencies, 0.5) / 1e3, BenchSupport.percentile(latencies, 0.99) / 1e3);
        System.out.printf("completed %d, compensated %d%n", completed, compensated);

        List<String> broken = invariants(db, completed);
        if (!broken.isEmpty()) {
            throw new IllegalStateException("invariants broken:\n  " + String.join("\n  ", broken));
        }
        System.out.println("invariants hold: failed orders left stock + reserved unchanged, completed ones took"
                + " one unit each, reserved is back to 0");
        return List.of(new BenchSupport.Figure("saga", "%,d checkouts posted at once, start to end (20%% compensated)"
                .formatted(SAGAS), SAGAS / (spanMicros / 1e6), "sagas", BenchSupport.percentile(latencies, 0.5) / 1e3,
                BenchSupport.percentile(latencies, 0.99) / 1e3));
    }

    private static List<String> invariants(Connection db, long completed) throws Exception {
        List<String> broken = new ArrayList<>();
        if (completed != SAGAS - SAGAS / 5) {
            broken.add(completed + " completed, expected " + (SAGAS - SAGAS / 5));
        }
        // completions commit reservations in their own callbacks: give the last ones a moment
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (reservedLeft(db) > 0 && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        long reserved = reservedLeft(db);
        if (reserved != 0) {
            broken.add(reserved + " units still reserved");
        }
        long failedChanged = count(db, "SELECT COUNT(*) FROM checkout_sagas s JOIN inventory i"
                + " ON i.sku = CONCAT('BENCH-', SUBSTRING(s.order_id, 7)) WHERE s.order_id LIKE 'bench-%'"
                + " AND s.state <> 'COMPLETED' AND i.stock + i.reserved <> " + STOCK);
        if (failedChanged != 0) {
            broken.add(failedChanged + " failed orders changed their sku's stock + reserved");
        }
        long completedWrong = count(db, "SELECT COUNT(*) FROM checkout_sagas s JOIN inventory i"
                + " ON i.sku = CONCAT('BENCH-', SUBSTRING(s.order_id, 7)) WHERE s.order_id LIKE 'bench-%'"
                + " AND s.state = 'COMPLETED' AND i.stock + i.reserved <> " + (STOCK - 1));
        if (completedWrong != 0) {
            broken.add(completedWrong + " completed orders did not take exactly one unit");
        }
        long hot = count(db, "SELECT stock + reserved FROM inventory WHERE sku = 'BENCH-HOT'");
        long hotExpected = HOT_STOCK - completed - count(db,
                "SELECT COUNT(*) FROM checkout_sagas WHERE order_id LIKE 'warm-%' AND state = 'COMPLETED'");
        if (hot != hotExpected) {
            broken.add("hot sku: stock + reserved " + hot + ", expected " + hotExpected);
        }
        long charged = count(db, "SELECT COUNT(*) FROM checkout_sagas s JOIN payments p ON p.order_id = s.order_id"
                + " WHERE s.order_id LIKE 'bench-%' AND s.state <> 'COMPLETED' AND p.status = 'CHARGED'");
        if (charged != 0) {
            broken.add(charged + " failed orders still charged");
        }
        return broken;
    }

    private static long reservedLeft(Connection db) throws Exception {
        return count(db, "SELECT COALESCE(SUM(reserved), 0) FROM inventory WHERE sku LIKE 'BENCH-%'");
    }

    /** Orders {@code from .. from+n-1}: sku BENCH-i, every 5th declined; ids warm-i below WARMUP, bench-i above. */
    private static void post(HttpClient http, String base, ExecutorService clients, int from, int n) throws Exception {
        List<Future<?>> sent = new ArrayList<>();
        for (int i = from; i < from + n; i++) {
            int order = i;
            sent.add(clients.submit(() -> {
                String id = (order < WARMUP ? "warm-" : "bench-") + order;
                String card = order % 5 == 0 ? "4000000000000002" : "4111111111111111";
                String body = "{\"order_id\":\"" + id + "\",\"user_id\":" + (order + 1) + ",\"items\":[{\"sku\":\"BENCH-"
                        + order + "\",\"qty\":1},{\"sku\":\"BENCH-HOT\",\"qty\":1}],\"payment\":{\"card\":\"" + card
                        + "\",\"amount\":25.50},\"address\":\"" + order + " Bench Road\"}";
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/api/checkout"))
                        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() != 202) {
                    throw new IllegalStateException("checkout refused: " + r.statusCode() + " " + r.body());
                }
                return null;
            }));
        }
        for (Future<?> f : sent) {
            f.get();
        }
    }

    private static void awaitFinished(Connection db, String prefix, int n) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
        while (count(db, "SELECT COUNT(*) FROM checkout_sagas WHERE order_id LIKE '" + prefix + "%'"
                + " AND state IN ('COMPLETED', 'COMPENSATED')") < n) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("sagas " + prefix + "* not finished after 10 minutes");
            }
            Thread.sleep(200);
        }
    }

    private static void awaitApi(HttpClient http, String base) throws Exception {
        HttpRequest probe = HttpRequest.newBuilder(URI.create(base + "/api/checkout/none")).build();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!http.send(probe, HttpResponse.BodyHandlers.ofString()).body().contains("not_found")) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("checkout API not up");
            }
            Thread.sleep(200);
        }
    }

    private static long count(Connection db, String sql) throws Exception {
        return BenchSupport.longs(db, sql).get(0);
    }

    private static void update(Connection db, String sql, Object... params) throws Exception {
        try (PreparedStatement st = db.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                st.setObject(i + 1, params[i]);
            }
            st.executeUpdate();
        }
    }
}
