package hub.routing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import hub.testing.HubTestSupport;
import hub.testing.Kafka;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** YAML route files in HUB_ROUTES_DIR, written, broken and deleted while the hub runs. */
class RouteFilesTest extends HubTestSupport {

    private static final Path DIR = Path.of("target", "route-files-test").toAbsolutePath();
    private static final Path FILE = DIR.resolve("order-paid.camel.yaml");

    private final ListAppender<ILoggingEvent> log = new ListAppender<>();

    @BeforeAll
    static void hubWatchingAnEmptyRoutesDirectory() throws Exception {
        if (Files.exists(DIR)) {
            try (Stream<Path> files = Files.walk(DIR)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        restartHub(Map.of("hub.routes.dir", DIR.toString()));
    }

    @BeforeEach
    void captureLog() {
        log.start();
        ((Logger) LoggerFactory.getLogger(RouteFiles.class)).addAppender(log);
    }

    @AfterEach
    void removeFile() throws Exception {
        ((Logger) LoggerFactory.getLogger(RouteFiles.class)).detachAppender(log);
        Files.deleteIfExists(FILE);
        await().atMost(Duration.ofSeconds(5)).until(() -> camel().getRoute("order-paid-forward") == null);
    }

    @Test
    void aRouteFileWrittenAtRunTimeChangesWhereOrderPaidEventsGoWithinFiveSeconds() throws Exception {
        String first = "route-files.paid-" + UUID.randomUUID();
        write(forwardPaidTo(first));
        String order = UUID.randomUUID().toString();
        sendEvents(order);
        ConsumerRecord<String, String> forwarded = Kafka.awaitKeyed(first, order, 1, Duration.ofSeconds(5)).get(0);
        assertEquals("OrderPaid", Kafka.header(forwarded, "event-type"));
        assertTrue(forwarded.value().contains("\"sequence\":2"), forwarded.value());

        // edited in place: the same route id now forwards elsewhere
        String second = "route-files.paid-" + UUID.randomUUID();
        write(forwardPaidTo(second));
        String next = UUID.randomUUID().toString();
        sendEvents(next);
        Kafka.awaitKeyed(second, next, 1, Duration.ofSeconds(5));
        // only OrderPaid passes the filter, and nothing of the second order went to the old topic
        assertEquals(1, Kafka.readAll(first, Duration.ofSeconds(1)).stream()
                .filter(r -> r.key().equals(order) || r.key().equals(next)).count());
    }

    @Test
    void aFileThatDoesNotParseIsRefusedWithItsLineAndTheRunningRouteKeepsForwarding() throws Exception {
        String topic = "route-files.paid-" + UUID.randomUUID();
        write(forwardPaidTo(topic));
        await().atMost(Duration.ofSeconds(5)).until(() -> camel().getRoute("order-paid-forward") != null);
        double refusedBefore = metric("hub_route_file_reloads_total", "result=\"refused\"");

        // line 6 names a step the YAML DSL does not have
        write(forwardPaidTo(topic).replace("        - filter:", "        - filtre:"));
        String refusal = awaitRefusal();
        assertTrue(refusal.contains(FILE.toString()) && refusal.contains("line 6"), refusal);
        await().atMost(Duration.ofSeconds(5)).until(() -> metric("hub_route_file_reloads_total", "result=\"refused\"") > refusedBefore);

        String order = UUID.randomUUID().toString();
        sendEvents(order);
        Kafka.awaitKeyed(topic, order, 1, Duration.ofSeconds(10));
    }

    @Test
    void aFileWhoseRouteCannotStartIsRefusedAndTheVersionBeforeItIsPutBack() throws Exception {
        String topic = "route-files.paid-" + UUID.randomUUID();
        write(forwardPaidTo(topic));
        await().atMost(Duration.ofSeconds(5)).until(() -> camel().getRoute("order-paid-forward") != null);

        // parses, but Kafka's endpoint has no such option, so the route cannot be created
        write(forwardPaidTo(topic + "?noSuchOption=1"));
        String refusal = awaitRefusal();
        assertTrue(refusal.contains(FILE.toString()) && refusal.contains("line 9") && refusal.contains("noSuchOption"),
                refusal);

        assertTrue(camel().getRouteController().getRouteStatus("order-paid-forward").isStarted());
        String order = UUID.randomUUID().toString();
        sendEvents(order);
        Kafka.awaitKeyed(topic, order, 1, Duration.ofSeconds(10));
    }

    @Test
    void deletingAFileRemovesItsRoutesAndARouteWithoutAnIdIsRefused() throws Exception {
        write(forwardPaidTo("route-files.paid-" + UUID.randomUUID()));
        await().atMost(Duration.ofSeconds(5)).until(() -> camel().getRoute("order-paid-forward") != null);
        Files.delete(FILE);
        await().atMost(Duration.ofSeconds(5)).until(() -> camel().getRoute("order-paid-forward") == null);

        write(forwardPaidTo("route-files.paid-" + UUID.randomUUID()).replace("    id: order-paid-forward\n", ""));
        assertTrue(awaitRefusal().contains("without an id"));
        assertNull(camel().getRoute("order-paid-forward"));
    }

    @Test
    void aJobHandlerAddedAsARouteFileHandlesJobsOfItsTypeWithoutARestart() throws Exception {
        String done = "route-files.jobs-" + UUID.randomUUID();
        Path handler = DIR.resolve("invoice-job.camel.yaml");
        try {
            Files.writeString(handler, """
                    - route:
                        id: job-SendInvoice
                        from:
                          uri: direct:job-SendInvoice
                          steps:
                            - setHeader:
                                name: kafka.KEY
                                simple: "${header.job-id}"
                            - setBody:
                                simple: "${header.job-type} ${header.job-queue} attempt ${header.job-attempt}"
                            - to: "kafka:%s"
                    """.formatted(done));
            await().atMost(Duration.ofSeconds(5)).until(() -> camel().getRoute("job-SendInvoice") != null);
            String job = UUID.randomUUID().toString();
            Kafka.send("default", job, "{\"id\":\"" + job + "\",\"type\":\"SendInvoice\",\"data\":{\"order\":1}}");
            assertEquals("SendInvoice default attempt 1",
                    Kafka.awaitKeyed(done, job, 1, Duration.ofSeconds(10)).get(0).value());
        } finally {
            Files.deleteIfExists(handler);
        }
    }

    /** The README's example: OrderPaid events of order-events forwarded to a topic of their own. */
    private static String forwardPaidTo(String topic) {
        return """
                - route:
                    id: order-paid-forward
                    from:
                      uri: "kafka:{{hub.events.topic}}?groupId=order-paid-forward"
                      steps:
                        - filter:
                            simple: "${header.event-type} == 'OrderPaid'"
                            steps:
                              - to: "kafka:%s"
                """.formatted(topic);
    }

    /** Written whole and moved into place, as a deployment would, so the watcher never sees half a file. */
    private static void write(String yaml) throws Exception {
        Files.createDirectories(DIR);
        Path tmp = DIR.resolve(".order-paid.tmp");
        Files.writeString(tmp, yaml);
        Files.move(tmp, FILE, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static void sendEvents(String order) throws Exception {
        Kafka.send("order-events", order, event(order, "OrderCreated", 1,
                "{\"user_id\":7,\"total\":\"12.50\",\"currency\":\"EUR\"}"), "event-type", "OrderCreated");
        Kafka.send("order-events", order, event(order, "OrderPaid", 2, "{\"payment_id\":\"p-1\",\"amount\":\"12.50\"}"),
                "event-type", "OrderPaid");
    }

    private static String event(String order, String type, int sequence, String data) {
        return "{\"type\":\"" + type + "\",\"aggregate_uuid\":\"" + order + "\",\"event_version\":" + (sequence == 1 ? 2 : 1)
                + ",\"sequence\":" + sequence + ",\"data\":" + data + ",\"timestamp\":\"" + Instant.now() + "\"}";
    }

    private String awaitRefusal() {
        String line = await().atMost(Duration.ofSeconds(5))
                .until(() -> refusalLines().stream().findFirst().orElse(null), l -> l != null);
        assertFalse(line.contains("\n"), "one line: " + line);
        return line;
    }

    private List<String> refusalLines() {
        return List.copyOf(log.list).stream().map(ILoggingEvent::getFormattedMessage).filter(m -> m.startsWith("Refused")).toList();
    }
}
