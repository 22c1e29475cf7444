package hub.faults;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import hub.testing.Database;
import hub.testing.HubProcess;
import hub.testing.Kafka;
import hub.testing.Search;
import hub.testing.SharedServices;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 9's outage cases: one hub as a separate process (CDC on, with its own offsets) rides out Elasticsearch
 * stopped for 30 s, the Kafka broker restarted and the database restarted, each under steady load on the API,
 * without a restart of its own. Each case prints its accounting and asserts that every accepted input has its
 * effect exactly once in every sink, and that nothing was dead-lettered. Every case brings its service back in a
 * finally block, so the classes after this one find the shared services healthy.
 */
@ExtendWith(SharedServices.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OutageTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    // HTTP/1.1, one connection per request in flight, as PHP clients send them (an HTTP/2 connection would
    // refuse the requests past its stream limit while an outage holds them)
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    private static final String CDC_ORDERS = "laravel.laravel_db.orders";
    private static final Duration CATCH_UP = Duration.ofSeconds(90);
    // a queue and a pipe topic of this run: the hubs of later test classes, whose groups would read every record
    // left on the shared topics, never see this load
    private static final String QUEUE = "outage-jobs-" + RUN;
    private static final String PIPE = "outage-pipe-" + RUN;

    @TempDir
    static Path dir;
    private static HubProcess hub;

    @BeforeAll
    static void startHub() throws Exception {
        Map<String, String> env = HubProcess.environment("outage-" + RUN);
        env.put("CDC_ENABLED", "true");
        env.put("HUB_QUEUES", QUEUE);
        env.put("HUB_PIPE_TOPIC", PIPE);
        env.put("CDC_SERVER_ID", String.valueOf(6000 + ThreadLocalRandom.current().nextInt(1000)));
        // the engine's offsets and schema history: a fresh snapshot at start, then only the binlog
        env.put("HUB_DATA_DIR", dir.toString());
        Path logs = Files.createDirectories(Path.of("target", "outage"));
        hub = HubProcess.start(env, logs.resolve("hub-" + RUN + ".log")).awaitHealthy(Duration.ofSeconds(120));
        hub.awaitCdcStreaming(Duration.ofSeconds(120));
    }

    @AfterAll
    static void stopHub() throws Exception {
        if (hub != null) {
            hub.close();
        }
    }

    @Test
    @Order(1)
    void elasticsearchStoppedFor30SecondsDelaysTheSearchSinksWithoutLosingOrDeadLetteringAnything() throws Exception {
        Outcome outcome = underLoad("es-outage", true, () -> {
            SharedServices.elasticsearch().stop();
            try {
                String ready = awaitManagement("/observe/health/ready", 503).body();
                assertTrue(ready.contains("Elasticsearch unavailable"), ready);
                // 30 s down, and all the while unready but live: nothing should restart a hub that waits
                await().during(Duration.ofSeconds(30)).atMost(Duration.ofSeconds(45)).pollInterval(Duration.ofSeconds(1))
                        .until(() -> probe("/observe/health/ready") == 503 && probe("/observe/health/live") == 200);
            } finally {
                SharedServices.elasticsearch().start();
                SharedServices.elasticsearch().awaitReady(Duration.ofSeconds(120));
            }
        });
        System.out.printf("fault es-outage: the slowest readiness or liveness answer took %d ms%n", slowestProbeMs.get());
        assertTrue(slowestProbeMs.get() < 10_000, "health answers while Elasticsearch is down");
        assertEquals(Map.of(), outcome.load.refused, "the API writes need no Elasticsearch");
        outcome.assertEverythingArrived();
    }

    @Test
    @Order(2)
    void theBrokerRestartedUnderLoadIsRejoinedWithoutARestartOfTheHub() throws Exception {
        Outcome outcome = underLoad("broker-restart", false, () -> {
            SharedServices.kafka().stop();
            try {
                System.out.println("fault broker-restart: readiness while the broker is down: "
                        + awaitManagement("/observe/health/ready", 503).body().replaceAll("\\s+", " "));
                await().during(Duration.ofSeconds(15)).atMost(Duration.ofSeconds(25)).pollInterval(Duration.ofSeconds(1))
                        .until(() -> hub.management("/observe/health/live").statusCode() == 200);
            } finally {
                SharedServices.kafka().start();
                SharedServices.kafka().awaitReady(Duration.ofSeconds(90));
            }
        });
        assertEquals(-1, hub.awaitExit(Duration.ZERO), "the same hub process throughout");
        outcome.assertEverythingArrived();
    }

    @Test
    @Order(3)
    void theDatabaseRestartedUnderLoadIsRejoinedAndTheEngineResumesFromItsOffset() throws Exception {
        long snapshotsBefore = snapshotRecords();
        Outcome outcome = underLoad("db-restart", false, () -> {
            SharedServices.database().stop();
            try {
                String ready = awaitManagement("/observe/health/ready", 503).body();
                assertTrue(ready.contains("database"), ready);
                await().during(Duration.ofSeconds(15)).atMost(Duration.ofSeconds(25)).pollInterval(Duration.ofSeconds(1))
                        .until(() -> hub.management("/observe/health/live").statusCode() == 200);
            } finally {
                SharedServices.database().start();
            }
        });
        assertEquals(-1, hub.awaitExit(Duration.ZERO), "the same hub process throughout");
        // a command the database could not take is refused as retryable, and left no trace (counted above)
        assertTrue(outcome.load.refused.keySet().stream().allMatch(k -> k.startsWith("orders 503 ")),
                outcome.load.refused.toString());
        outcome.assertEverythingArrived();
        hub.awaitCdcStreaming(Duration.ofSeconds(30));
        long snapshots = snapshotRecords() - snapshotsBefore;
        System.out.printf("fault db-restart cdc: %d snapshot records (op r) on %s since before the restart%n",
                snapshots, CDC_ORDERS);
        assertEquals(0, snapshots, "the engine resumed from its offset instead of snapshotting again");
    }

    /** Snapshot records (op r) on the orders change topic, from whichever engine wrote them. */
    private static long snapshotRecords() {
        return Kafka.readAll(CDC_ORDERS, Duration.ofSeconds(2)).stream()
                .filter(r -> r.value() != null && r.value().contains("\"op\":\"r\""))
                .count();
    }

    /** One case: load before, during and after {@code fault}, then the accounting once everything caught up. */
    private static Outcome underLoad(String name, boolean pipe, Fault fault) throws Exception {
        long begin = System.nanoTime();
        double deadLettered = hub.metric("hub_dead_letter_messages_total");
        Load load = new Load(name, pipe);
        try (load) {
            load.start();
            steady(Duration.ofSeconds(10));
            fault.run();
            awaitManagement("/observe/health", 200);
            steady(Duration.ofSeconds(10));
        }
        load.awaitAnswers();
        Outcome outcome = new Outcome(name, load, deadLettered);
        try {
            outcome.awaitCaughtUp();
        } finally {
            outcome.print(Duration.ofNanos(System.nanoTime() - begin));
        }
        return outcome;
    }

    /** Load goes on for {@code period}, with the hub healthy all along. */
    private static void steady(Duration period) {
        await().during(period).atMost(period.plusSeconds(10)).pollInterval(Duration.ofSeconds(1))
                .until(() -> hub.management("/observe/health").statusCode() == 200);
    }

    @FunctionalInterface
    private interface Fault {
        void run() throws Exception;
    }

    /**
     * Steady load, ten ticks a second: each tick one CreateOrder (CQRS, captured by CDC) and one job dispatch on
     * the API, answered or not, and with {@code pipe} one record on the pipe topic. Requests do not wait for each
     * other: during an outage they pile up the way a client's would.
     */
    private static final class Load implements AutoCloseable {

        final String name;
        final boolean pipe;
        final long user = 900_000_000L + ThreadLocalRandom.current().nextInt(100_000_000);
        final AtomicInteger ticks = new AtomicInteger();
        final Queue<String> orders = new ConcurrentLinkedQueue<>();
        final Queue<String> jobs = new ConcurrentLinkedQueue<>();
        final Queue<String> pipeIds = new ConcurrentLinkedQueue<>();
        // "orders 503", "jobs timeout", ...: answers other than accepted
        final Map<String, AtomicInteger> refused = new ConcurrentHashMap<>();
        // the slowest answer per endpoint, in ms
        final Map<String, Long> slowest = new ConcurrentHashMap<>();
        final List<CompletableFuture<?>> answers = new ArrayList<>();
        final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();

        Load(String name, boolean pipe) {
            this.name = name;
            this.pipe = pipe;
        }

        void start() {
            timer.scheduleAtFixedRate(this::tick, 0, 100, TimeUnit.MILLISECONDS);
        }

        private void tick() {
            int n = ticks.incrementAndGet();
            String job = RUN + "-" + name + "-job-" + n;
            synchronized (answers) {
                answers.add(post("orders", "/api/orders", "{\"user_id\":" + user + ",\"currency\":\"EUR\",\"items\":"
                        + "[{\"sku\":\"OUTAGE-" + n + "\",\"qty\":1,\"price\":1.50}]}", 201,
                        body -> orders.add(JSON.readTree(body).get("uuid").asText())));
                answers.add(post("jobs", "/api/jobs/" + QUEUE, "{\"id\":\"" + job + "\",\"type\":\"ProcessOrderEvent\","
                        + "\"data\":{\"order_id\":\"" + job + "\"}}", 202, body -> jobs.add(job)));
            }
            if (pipe) {
                String id = RUN + "-" + name + "-pipe-" + n;
                try {
                    Kafka.send(PIPE, id, "{\"id\":\"" + id + "\"}");
                    pipeIds.add(id);
                } catch (Exception e) {
                    refused.computeIfAbsent("pipe " + e.getClass().getSimpleName(), k -> new AtomicInteger())
                            .incrementAndGet();
                }
            }
        }

        private CompletableFuture<?> post(String what, String path, String json, int accepted, Accepted onAccepted) {
            long sent = System.nanoTime();
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + hub.httpPort() + path))
                    .header("Content-Type", "application/json").timeout(Duration.ofSeconds(150))
                    .POST(HttpRequest.BodyPublishers.ofString(json)).build();
            return HTTP.sendAsync(request, HttpResponse.BodyHandlers.ofString()).handle((response, failure) -> {
                slowest.merge(what, (System.nanoTime() - sent) / 1_000_000, Math::max);
                try {
                    if (failure == null && response.statusCode() == accepted) {
                        onAccepted.record(response.body());
                        return null;
                    }
                } catch (Exception e) {
                    failure = e;
                }
                Throwable cause = failure != null && failure.getCause() != null ? failure.getCause() : failure;
                String why = cause != null ? cause.getClass().getSimpleName() + ": " + cause.getMessage()
                        : response.statusCode() + " " + response.body();
                refused.computeIfAbsent(what + " " + why, k -> new AtomicInteger()).incrementAndGet();
                return null;
            });
        }

        /** Stops sending; every request sent has an answer (or failed) afterwards. */
        @Override
        public void close() throws InterruptedException {
            timer.shutdown();
            timer.awaitTermination(30, TimeUnit.SECONDS);
        }

        void awaitAnswers() {
            synchronized (answers) {
                CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)).join();
            }
        }

        @FunctionalInterface
        interface Accepted {
            void record(String body) throws Exception;
        }
    }

    /** What arrived where, for the inputs one case's load had accepted. */
    private static final class Outcome {

        final String name;
        final Load load;
        final double deadLetteredBefore;
        List<Long> orderIds = List.of();
        long rows;
        long documents;
        long cdcDocuments;
        long warehouseRows;
        long warehouseHistory;
        long snapshotHistory;
        long processedJobs;
        long failedJobs;
        long pipeRows;
        long pipeDocuments;
        long deadLetterRecords;
        double deadLettered;

        Outcome(String name, Load load, double deadLetteredBefore) {
            this.name = name;
            this.load = load;
            this.deadLetteredBefore = deadLetteredBefore;
        }

        void awaitCaughtUp() throws Exception {
            int accepted = load.orders.size();
            List<String> uuids = List.copyOf(load.orders);
            await().atMost(CATCH_UP).pollInterval(Duration.ofSeconds(2)).ignoreExceptions().until(() -> {
                count();
                return rows == accepted && documents == accepted && cdcDocuments == accepted
                        && warehouseRows == accepted && warehouseHistory >= accepted
                        && processedJobs + failedJobs == load.jobs.size()
                        && pipeRows == load.pipeIds.size() && pipeDocuments == load.pipeIds.size();
            });
            // counts that stay put for a few seconds: anything delivered twice would show by now
            await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10)).until(() -> {
                long before = rows + documents + cdcDocuments + warehouseRows + warehouseHistory + processedJobs
                        + pipeRows + pipeDocuments;
                count();
                return before == rows + documents + cdcDocuments + warehouseRows + warehouseHistory + processedJobs
                        + pipeRows + pipeDocuments;
            });
            Set<String> keys = new java.util.HashSet<>(uuids);
            keys.addAll(load.jobs);
            keys.addAll(load.pipeIds);
            deadLetterRecords = Kafka.readAll("hub.dead-letter", Duration.ofSeconds(2)).stream()
                    .filter(r -> r.key() != null && keys.contains(r.key())).count();
            deadLettered = hub.metric("hub_dead_letter_messages_total") - deadLetteredBefore;
        }

        private void count() throws Exception {
            rows = ((Number) Database.query("SELECT COUNT(*) AS n FROM orders WHERE user_id = ?", load.user)
                    .get(0).get("n")).longValue();
            orderIds = Database.query("SELECT id FROM orders WHERE user_id = ?", load.user).stream()
                    .map(r -> ((Number) r.get("id")).longValue()).toList();
            documents = Search.count("orders", List.copyOf(load.orders));
            List<String> pks = orderIds.stream().map(String::valueOf).toList();
            cdcDocuments = Search.count("cdc-orders", pks);
            // the warehouse keys rows by Debezium's record key
            String keys = pks.isEmpty() ? "''"
                    : pks.stream().map(k -> "'{\"id\":" + k + "}'").collect(Collectors.joining(","));
            warehouseRows = ((Number) Database.warehouse("SELECT COUNT(*) AS n FROM cdc_current WHERE source_table ="
                    + " 'laravel_db.orders' AND pk IN (" + keys + ")").get(0).get("n")).longValue();
            warehouseHistory = ((Number) Database.warehouse("SELECT COUNT(*) AS n FROM cdc_history WHERE source_table ="
                    + " 'laravel_db.orders' AND pk IN (" + keys + ")").get(0).get("n")).longValue();
            snapshotHistory = ((Number) Database.warehouse("SELECT COUNT(*) AS n FROM cdc_history WHERE source_table ="
                    + " 'laravel_db.orders' AND op <> 'c' AND pk IN (" + keys + ")").get(0).get("n")).longValue();
            processedJobs = ((Number) Database.query("SELECT COUNT(*) AS n FROM processed_jobs WHERE job_id LIKE ?",
                    RUN + "-" + name + "-job-%").get(0).get("n")).longValue();
            failedJobs = ((Number) Database.query("SELECT COUNT(*) AS n FROM failed_jobs WHERE id LIKE ?",
                    RUN + "-" + name + "-job-%").get(0).get("n")).longValue();
            pipeRows = ((Number) Database.query("SELECT COUNT(*) AS n FROM pipe_messages WHERE id LIKE ?",
                    RUN + "-" + name + "-pipe-%").get(0).get("n")).longValue();
            pipeDocuments = Search.count("pipe-messages", List.copyOf(load.pipeIds));
        }

        void print(Duration took) {
            int accepted = load.orders.size();
            System.out.printf("fault %s: %d ticks, %d s with the catch-up; slowest answer in ms %s; refused %s%n", name,
                    load.ticks.get(), took.toSeconds(), new TreeMap<>(load.slowest), new TreeMap<>(load.refused));
            System.out.printf("fault %s cqrs: accepted %d commands, found %d rows, %d documents (%d lost)%n", name,
                    accepted, rows, documents, accepted - documents);
            System.out.printf("fault %s cdc: %d rows captured, found %d cdc-orders documents, %d warehouse rows,"
                    + " %d history rows (%d not inserts)%n", name, rows, cdcDocuments, warehouseRows, warehouseHistory,
                    snapshotHistory);
            System.out.printf("fault %s queue: accepted %d jobs, found %d processed, %d failed%n", name,
                    load.jobs.size(), processedJobs, failedJobs);
            if (load.pipe) {
                System.out.printf("fault %s pipe: sent %d records, found %d rows, %d documents%n", name,
                        load.pipeIds.size(), pipeRows, pipeDocuments);
            }
            System.out.printf("fault %s: %.0f dead-lettered by the hub, %d dead-letter records of these inputs%n", name,
                    deadLettered, deadLetterRecords);
        }

        void assertEverythingArrived() {
            int accepted = load.orders.size();
            assertTrue(accepted > 0 && load.jobs.size() > 0, "the load was accepted at all");
            assertEquals(accepted, rows, "orders rows of the accepted commands");
            assertEquals(accepted, documents, "read-model documents");
            assertEquals(accepted, cdcDocuments, "cdc-orders documents");
            assertEquals(accepted, warehouseRows, "warehouse rows");
            assertEquals(accepted, warehouseHistory, "one warehouse history row per captured insert");
            assertEquals(0, snapshotHistory, "no snapshot (op r) of rows the engine had streamed");
            assertEquals(load.jobs.size(), processedJobs, "processed jobs");
            assertEquals(0, failedJobs, "jobs failed by the outage");
            assertEquals(load.pipeIds.size(), pipeRows, "pipe rows");
            assertEquals(load.pipeIds.size(), pipeDocuments, "pipe documents");
            assertEquals(0, deadLetterRecords, "dead-letter records of these inputs");
            assertEquals(0, deadLettered, "messages the hub dead-lettered");
        }
    }

    private static HttpResponse<String> awaitManagement(String path, int status) {
        return await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                .until(() -> hub.management(path), r -> r.statusCode() == status);
    }

    private static final AtomicLong slowestProbeMs = new AtomicLong();

    /** A management GET that may take long (its time is recorded): its status. */
    private static int probe(String path) throws Exception {
        long begin = System.nanoTime();
        int status = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + hub.managementPort() + path))
                .timeout(Duration.ofSeconds(90)).GET().build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        long ms = (System.nanoTime() - begin) / 1_000_000;
        slowestProbeMs.accumulateAndGet(ms, Math::max);
        if (ms > 2000) {
            System.out.printf("outage: GET %s answered %d after %d ms%n", path, status, ms);
        }
        return status;
    }
}
