package hub.faults;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;

import hub.testing.HubProcess;
import hub.testing.SharedServices;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.common.ConsumerGroupState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two hub replicas in one consumer group split the partitions; one is killed (SIGKILL) under load, the other
 * takes its partitions over, and every job, command and event still takes effect exactly once. Both replicas
 * run the outbox relays, so an outbox row may be published twice: the effects are idempotent, and the
 * duplicates on the topics are counted.
 */
@ExtendWith(SharedServices.class)
class TwoReplicasTest {

    private static final String FAULT = "replica-kill";
    private static final String GROUP = "faults-replicas";
    /** As {@link HubProcess#environmentWithOwnGroups} names the read model's group. */
    private static final String READ_MODEL_GROUP = GROUP + "-read-model";
    private static final Set<String> QUEUES = Set.of("default", "orders", "notifications");

    @TempDir
    Path dir;

    @Test
    void partitionsSplitAndMoveToTheSurvivorWithNoLossAndNoDoubledEffect() throws Exception {
        String run = "fr" + UUID.randomUUID().toString().substring(0, 8);
        JobLoad.install(dir.resolve("routes"));
        try (HubProcess first = HubProcess.start(environment(1), dir.resolve("first.log"));
             HubProcess second = HubProcess.start(environment(2), dir.resolve("second.log"));
             Admin admin = admin()) {
            first.awaitHealthy(Duration.ofSeconds(120));
            second.awaitHealthy(Duration.ofSeconds(120));
            Load.Hubs hubs = new Load.Hubs(first, second);
            JobLoad jobs = new JobLoad(run, 40, 50);
            EventLoad events = new EventLoad(hubs, 300);
            OrderLoad orders = new OrderLoad(hubs, 300);
            List<Load> loads = List.of(jobs, events, orders);
            long started = System.nanoTime();
            loads.forEach(Load::start);

            // the group once it settled: the read model has one consumer per hub, the queue two (plus the pipe's)
            Map<String, Integer> readModel = await().atMost(Duration.ofSeconds(60)).until(
                    () -> owned(admin, READ_MODEL_GROUP, "order-commands"), o -> o.size() == 2 && sum(o) == 3);
            Map<String, Integer> queue = await().atMost(Duration.ofSeconds(60)).until(
                    () -> owned(admin, GROUP, QUEUES), o -> o.size() == 6 && sum(o) == 9);

            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() -> jobs.handled() >= 200);
            first.kill();
            hubs.down(first);
            long killed = System.nanoTime();
            System.out.printf("fault replicas: first hub killed %.1f s into the load, %d jobs handled by then%n",
                    (killed - started) / 1e9, jobs.handled());
            // a SIGKILLed member leaves the group at the consumers' session timeout (KAFKA_SESSION_TIMEOUT_MS, 10 s):
            // 30 s covers it and the rebalance; Kafka's default of 45 s would not
            Map<String, Integer> readModelAfter = await().atMost(Duration.ofSeconds(30)).until(
                    () -> owned(admin, READ_MODEL_GROUP, "order-commands"), o -> o.size() == 1 && sum(o) == 3);
            Map<String, Integer> queueAfter = await().atMost(Duration.ofSeconds(30)).until(
                    () -> owned(admin, GROUP, QUEUES), o -> o.size() == 3 && sum(o) == 9);
            // the survivor's consumers keep their member ids; the members that left were the killed hub's
            int readModelFirst = sum(readModel) - share(readModel, readModelAfter);
            int queueFirst = sum(queue) - share(queue, queueAfter);
            System.out.printf("fault replicas: before the kill the first hub owned %d of 3 order-commands partitions"
                    + " (read model) and %d of 9 queue partitions, the second %d and %d; %.1f s after the kill the"
                    + " second owned all%n", readModelFirst, queueFirst, 3 - readModelFirst, 9 - queueFirst,
                    (System.nanoTime() - killed) / 1e9);
            assertTrue(readModelFirst > 0 && readModelFirst < 3, "read model partitions split: " + readModel);
            assertTrue(queueFirst > 0 && queueFirst < 9, "queue partitions split: " + queue);
            for (Load load : loads) {
                load.stop();
            }

            List<Accounting> found = new ArrayList<>();
            found.add(Accounting.settle(() -> jobs.account(FAULT), Duration.ofSeconds(60)));
            found.add(Accounting.settle(() -> orders.account(FAULT, "cqrs", "orders"), Duration.ofSeconds(60)));
            found.add(Accounting.settle(() -> events.account(FAULT), Duration.ofSeconds(60)));
            found.forEach(a -> System.out.println(a.line()));
            System.out.printf("fault replicas: duplicate records on order-commands (two relays, at-least-once): %d;"
                    + " done %.1f s after the load began%n", orders.duplicateRecords("order-commands"),
                    (System.nanoTime() - started) / 1e9);
            List<String> wrong = found.stream().filter(a -> !a.exact() || a.sent() == 0).map(Accounting::line).toList();
            assertTrue(wrong.isEmpty(), "not exactly once:\n" + String.join("\n", wrong) + "\nsurvivor's log tail:\n"
                    + HubProcess.tail(second.log(), 150));
        }
    }

    private Map<String, String> environment(int instance) {
        Map<String, String> env = HubProcess.environmentWithOwnGroups(GROUP);
        env.put("HUB_INSTANCE_ID", String.valueOf(instance));
        // two replicas share order-commands' 3 partitions: one read-model consumer each, as README advises
        env.put("HUB_CQRS_READ_MODEL_CONSUMERS", "1");
        env.put("HUB_ROUTES_DIR", dir.resolve("routes").toString());
        env.put("HUB_DATA_DIR", dir.resolve("data-" + instance).toString());
        env.put("HUB_ERRORS_TRANSIENT_MAXIMUM_DELAY_MS", "2000");
        return env;
    }

    /** member id → partitions of {@code topics} it owns, once {@code group} is stable; empty while it rebalances. */
    private static Map<String, Integer> owned(Admin admin, String group, Set<String> topics) throws Exception {
        ConsumerGroupDescription description = admin.describeConsumerGroups(List.of(group)).all().get().get(group);
        Map<String, Integer> owned = new HashMap<>();
        if (description.state() == ConsumerGroupState.STABLE) {
            description.members().forEach(m -> owned.put(m.consumerId(), (int) m.assignment().topicPartitions().stream()
                    .filter(p -> topics.contains(p.topic())).count()));
        }
        return owned;
    }

    private static Map<String, Integer> owned(Admin admin, String group, String topic) throws Exception {
        return owned(admin, group, Set.of(topic));
    }

    private static int sum(Map<String, Integer> owned) {
        return owned.values().stream().mapToInt(Integer::intValue).sum();
    }

    /** What the members still in {@code after} owned in {@code before}. */
    private static int share(Map<String, Integer> before, Map<String, Integer> after) {
        return after.keySet().stream().mapToInt(m -> before.getOrDefault(m, 0)).sum();
    }

    private static Admin admin() {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, SharedServices.properties().get("hub.kafka.brokers"));
        return Admin.create(p);
    }
}
