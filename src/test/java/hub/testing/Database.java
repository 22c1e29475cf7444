package hub.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Plain JDBC on the shared MariaDB and the warehouse, for tests to read what routes wrote. */
public final class Database {

    private Database() {
    }

    public static int update(String sql, Object... params) throws Exception {
        Map<String, String> p = SharedServices.properties();
        try (Connection c = DriverManager.getConnection(p.get("hub.db.url"), p.get("hub.db.username"),
                p.get("hub.db.password"));
             PreparedStatement st = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                st.setObject(i + 1, params[i]);
            }
            return st.executeUpdate();
        }
    }

    public static List<Map<String, Object>> query(String sql, Object... params) throws Exception {
        return query("hub.db", sql, params);
    }

    /** The same on the CDC warehouse (PostgreSQL). */
    public static List<Map<String, Object>> warehouse(String sql, Object... params) throws Exception {
        return query("hub.warehouse", sql, params);
    }

    /** Runs statements on the shared MariaDB, e.g. the writes a CDC test captures. */
    public static void execute(String... statements) throws Exception {
        Map<String, String> p = SharedServices.properties();
        try (Connection c = DriverManager.getConnection(p.get("hub.db.url"), p.get("hub.db.username"),
                p.get("hub.db.password"));
             java.sql.Statement st = c.createStatement()) {
            for (String statement : statements) {
                st.execute(statement);
            }
        }
    }

    private static List<Map<String, Object>> query(String prefix, String sql, Object... params) throws Exception {
        Map<String, String> p = SharedServices.properties();
        try (Connection c = DriverManager.getConnection(p.get(prefix + ".url"), p.get(prefix + ".username"),
                p.get(prefix + ".password"));
             PreparedStatement st = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                st.setObject(i + 1, params[i]);
            }
            try (ResultSet rs = st.executeQuery()) {
                List<Map<String, Object>> rows = new ArrayList<>();
                while (rs.next()) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                        row.put(rs.getMetaData().getColumnLabel(i), rs.getObject(i));
                    }
                    rows.add(row);
                }
                return rows;
            }
        }
    }
}
