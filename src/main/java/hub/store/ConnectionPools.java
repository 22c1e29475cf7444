package hub.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

/** The hub's JDBC pools (its own database, the CDC warehouse), all made the same way. */
public final class ConnectionPools {

    private ConnectionPools() {
    }

    public static HikariDataSource pool(String name, String url, String username, String password, int size) {
        HikariConfig config = new HikariConfig();
        config.setPoolName(name);
        config.setJdbcUrl(url);
        config.setUsername(username);
        config.setPassword(password);
        config.setMaximumPoolSize(size);
        config.setConnectionTimeout(5_000);
        // start even while the database is down: readiness says so, routes retry
        config.setInitializationFailTimeout(-1);
        return new HikariDataSource(config);
    }
}
