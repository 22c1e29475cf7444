package hub;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;

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
        assertEquals(1, housekeepers("hub-db"), "pools named hub-db");
        assertEquals(1, housekeepers("warehouse"), "pools named warehouse");
        stopHub();
        await().atMost(Duration.ofSeconds(10))
                .until(() -> housekeepers("hub-db") == 0 && housekeepers("warehouse") == 0);
    }

    /** Live threads of pools with this name: Hikari runs one housekeeper per open pool. */
    private static long housekeepers(String pool) {
        return Thread.getAllStackTraces().keySet().stream().map(Thread::getName)
                .filter(n -> n.startsWith(pool) && n.endsWith("housekeeper")).count();
    }
}
