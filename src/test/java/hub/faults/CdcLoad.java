package hub.faults;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.JsonNode;
import hub.testing.Database;
import hub.testing.Kafka;
import hub.testing.Search;
import hub.testing.SharedServices;

/**
 * Strategy 4: rows written straight into laravel_db.users, as the application writes them, each inserted and
 * then renamed, while the hub's embedded Debezium engine captures them. Each must end in Elasticsearch and in
 * the warehouse with its last name, and in the warehouse's history as exactly two changes.
 */
final class CdcLoad extends Load {

    static final String TOPIC = "laravel.laravel_db.users";
    private static final String TABLE = "laravel_db.users";

    private final String run;
    private final Set<Long> users = ConcurrentHashMap.newKeySet();
    private final Connection db;

    CdcLoad(String run, int users) throws Exception {
        super("cdc", null, users);
        this.run = run;
        Map<String, String> p = SharedServices.properties();
        db = DriverManager.getConnection(p.get("hub.db.url"), p.get("hub.db.username"), p.get("hub.db.password"));
    }

    @Override
    protected boolean send(int i) throws Exception {
        long id;
        try (PreparedStatement insert = db.prepareStatement("INSERT INTO users (name, email) VALUES (?, ?)",
                Statement.RETURN_GENERATED_KEYS)) {
            insert.setString(1, run + "-" + i);
            insert.setString(2, run + "-" + i + "@faults.test");
            insert.executeUpdate();
            try (ResultSet keys = insert.getGeneratedKeys()) {
                keys.next();
                id = keys.getLong(1);
            }
        }
        try (PreparedStatement rename = db.prepareStatement("UPDATE users SET name = ? WHERE id = ?")) {
            rename.setString(1, finalName(id));
            rename.setLong(2, id);
            rename.executeUpdate();
        }
        users.add(id);
        Thread.sleep(20);
        return true;
    }

    private String finalName(long id) {
        return run + "-final-" + id;
    }

    @Override
    void stop() throws Exception {
        super.stop();
        db.close();
    }

    Accounting account(String fault) throws Exception {
        Map<Long, String> search = new HashMap<>();
        long doubled = 0;
        for (JsonNode doc : Search.search("cdc-users", "{\"prefix\":{\"email\":\"" + run + "-\"}}")) {
            search.put(doc.get("id").asLong(), doc.get("name").asText());
        }
        doubled += search.keySet().stream().filter(id -> !users.contains(id)).count();
        Map<Long, String> current = new HashMap<>();
        for (Map<String, Object> row : Database.warehouse("SELECT row->>'id' AS id, row->>'name' AS name FROM cdc_current"
                + " WHERE source_table = ? AND row->>'email' LIKE ?", TABLE, run + "-%")) {
            current.put(Long.parseLong((String) row.get("id")), (String) row.get("name"));
        }
        Map<Long, Long> history = new HashMap<>();
        for (Map<String, Object> row : Database.warehouse("SELECT after->>'id' AS id, COUNT(*) AS changes FROM cdc_history"
                + " WHERE source_table = ? AND after->>'email' LIKE ? GROUP BY after->>'id'", TABLE, run + "-%")) {
            history.put(Long.parseLong((String) row.get("id")), ((Number) row.get("changes")).longValue());
        }
        long once = 0;
        for (long id : users) {
            long changes = history.getOrDefault(id, 0L);
            doubled += Math.max(0, changes - 2);
            if (finalName(id).equals(search.get(id)) && finalName(id).equals(current.get(id)) && changes == 2) {
                once++;
            }
        }
        return new Accounting(fault, "cdc", "users (inserted, then renamed)", users.size(),
                "in cdc-users and the warehouse with their last name, history of 2 changes,", once,
                users.size() - once, doubled, "");
    }

    /** Change records on the users topic of these rows beyond one insert and one update each: the engine's re-sends. */
    long duplicateRecords() {
        Set<String> keys = new java.util.HashSet<>();
        users.forEach(id -> keys.add("{\"id\":" + id + "}"));
        List<?> records = Kafka.readAll(TOPIC, Duration.ofSeconds(2)).stream().filter(r -> keys.contains(r.key())).toList();
        return records.size() - 2L * users.size();
    }
}
