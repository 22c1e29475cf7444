package hub.store;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import javax.sql.DataSource;

import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Applies the idempotent schema script at start, before routes consume. */
public class DatabaseSchema extends ServiceSupport {

    private static final Logger LOG = LoggerFactory.getLogger(DatabaseSchema.class);

    private final DataSource dataSource;
    private final String script;
    private final Duration wait;

    public DatabaseSchema(DataSource dataSource, String script, Duration wait) {
        this.dataSource = dataSource;
        this.script = script;
        this.wait = wait;
    }

    @Override
    protected void doStart() throws Exception {
        String sql;
        try (InputStream in = getClass().getClassLoader().getResourceAsStream(script)) {
            if (in == null) {
                throw new IOException("schema script not found on classpath: " + script);
            }
            sql = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        try (Connection c = Startup.await("database", wait, dataSource::getConnection);
             Statement st = c.createStatement()) {
            for (String statement : statements(sql)) {
                st.execute(statement);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("applying " + script + " failed: " + e.getMessage(), e);
        }
        LOG.info("Database schema {} applied", script);
    }

    /** Statements separated by ';' at line end; '--' comment lines dropped. */
    static List<String> statements(String sql) {
        StringBuilder clean = new StringBuilder();
        for (String line : sql.split("\n")) {
            if (!line.strip().startsWith("--")) {
                clean.append(line).append('\n');
            }
        }
        return Arrays.stream(clean.toString().split(";\\s*\n"))
                .map(String::strip).filter(s -> !s.isEmpty()).toList();
    }
}
