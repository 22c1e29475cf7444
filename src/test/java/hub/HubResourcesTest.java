package hub;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.Map;

import hub.testing.HubTestSupport;
import org.junit.jupiter.api.Test;

/**
 * The hub holds one of each connection pool it configures and closes them when it stops. Camel Main runs each
 * bound method of a configuration class twice; a pool built in both passes used to stay open beside the bound
 * one: twice the database connections, and one pool per stopped hub left behind in a JVM that starts several.
 */
class HubResourcesTest extends HubTestSupport {

    @Test
    void aHubOpensEachConnectionPoolOnceAndClosesItWhenItStops() {
        // counted against what the JVM holds without a hub of this class, whatever earlier classes left open
        long hubDbWithClassHub = housekeepers("hub-db");
        long warehouseWithClassHub = housekeepers("warehouse");
        stopHub();
        await().atMost(Duration.ofSeconds(10)).until(() -> housekeepers("hub-db") == hubDbWithClassHub - 1
                && housekeepers("warehouse") == warehouseWithClassHub - 1);
        long hubDb = housekeepers("hub-db");
        long warehouse = housekeepers("warehouse");

        startHub(Map.of());
        assertEquals(hubDb + 1, housekeepers("hub-db"), "pools named hub-db");
        assertEquals(warehouse + 1, housekeepers("warehouse"), "pools named warehouse");
        stopHub();
        await().atMost(Duration.ofSeconds(10))
                .until(() -> housekeepers("hub-db") == hubDb && housekeepers("warehouse") == warehouse);
    }

    /** Live threads of pools with this name: Hikari runs one housekeeper per open pool. */
    private static long housekeepers(String pool) {
        return Thread.getAllStackTraces().keySet().stream().map(Thread::getName)
                .filter(n -> n.startsWith(pool) && n.endsWith("housekeeper")).count();
    }
}
