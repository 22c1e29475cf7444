package hub.faults;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import hub.testing.HubProcess;
import hub.testing.SharedServices;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 of the hub under load on all five strategies at once, then a restart with the same configuration:
 * every input is accounted for exactly once in its effect. The hub runs as its own process with the binlog
 * engine on, in consumer groups of its own, against the shared services.
 */
@ExtendWith(SharedServices.class)
class HubKillTest {

    private static final String FAULT = "kill-9";
    private static final String GROUP = "faults-kill";

    @TempDir
    Path dir;

    @Test
    void everyInputOfEveryStrategyTakesEffectExactlyOnceAcrossAKill9() throws Exception {
        String run = "fk" + UUID.randomUUID().toString().substring(0, 8);
        JobLoad.install(dir.resolve("routes"));
        try (HubProcess hub = HubProcess.start(environment(), dir.resolve("hub.log"))) {
            hub.awaitHealthy(Duration.ofSeconds(120)).awaitCdcStreaming(Duration.ofSeconds(120));
            Load.Hubs hubs = new Load.Hubs(hub);
            JobLoad jobs = new JobLoad(run, 40, 50);
            EventLoad events = new EventLoad(hubs, 300);
            OrderLoad orders = new OrderLoad(hubs, 300);
            CdcLoad cdc = new CdcLoad(run, 400);
            CheckoutLoad checkouts = new CheckoutLoad(run, hubs, 60);
            List<Load> loads = List.of(jobs, events, orders, cdc, checkouts);
            long started = System.nanoTime();
            loads.forEach(Load::start);

            // mid-load: the queue is working through its jobs and every API has taken inputs
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() -> jobs.handled() >= 200);
            hub.kill();
            System.out.printf("fault kill-9: hub killed %.1f s into the load, %d jobs handled by then%n",
                    (System.nanoTime() - started) / 1e9, jobs.handled());
            hub.start();
            hub.awaitHealthy(Duration.ofSeconds(120));
            System.out.printf("fault kill-9: hub healthy again %.1f s into the load%n", (System.nanoTime() - started) / 1e9);
            for (Load load : loads) {
                load.stop();
            }

            List<Accounting> found = new ArrayList<>();
            found.add(Accounting.settle(() -> jobs.account(FAULT), Duration.ofSeconds(60)));
            found.add(Accounting.settle(() -> events.account(FAULT), Duration.ofSeconds(60)));
            found.add(Accounting.settle(() -> orders.account(FAULT, "cqrs", "orders"), Duration.ofSeconds(60)));
            found.add(Accounting.settle(() -> cdc.account(FAULT), Duration.ofSeconds(90)));
            found.add(Accounting.settle(() -> orders.account(FAULT, "cdc", "cdc-orders"), Duration.ofSeconds(60)));
            found.add(Accounting.settle(() -> checkouts.account(FAULT), Duration.ofSeconds(180)));
            found.forEach(a -> System.out.println(a.line()));
            System.out.printf("fault kill-9: duplicate records on the topics (at-least-once): order-commands %d,"
                    + " %s %d; done %.1f s after the load began%n", orders.duplicateRecords("order-commands"),
                    CdcLoad.TOPIC, cdc.duplicateRecords(), (System.nanoTime() - started) / 1e9);
            List<String> wrong = found.stream().filter(a -> !a.exact() || a.sent() == 0).map(Accounting::line).toList();
            assertTrue(wrong.isEmpty(), "not exactly once:\n" + String.join("\n", wrong) + "\nhub log tail:\n"
                    + HubProcess.tail(hub.log(), 150));
        }
    }

    private Map<String, String> environment() {
        Map<String, String> env = HubProcess.environmentWithOwnGroups(GROUP);
        // the binlog engine with a server id and an offsets store of its own
        env.put("CDC_ENABLED", "true");
        env.put("CDC_SERVER_ID", "5601");
        env.put("HUB_DATA_DIR", dir.toString());
        env.put("HUB_ROUTES_DIR", dir.resolve("routes").toString());
        // sagas the dead hub left running are compensated by the coordinator at their time limit: 45 s instead of
        // 120 s keeps the test short and stays above three step timeouts
        env.put("HUB_SAGA_TIMEOUT_MS", "45000");
        env.put("HUB_ERRORS_TRANSIENT_MAXIMUM_DELAY_MS", "2000");
        return env;
    }
}
