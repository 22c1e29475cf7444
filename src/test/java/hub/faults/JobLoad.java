package hub.faults;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import hub.testing.Database;
import hub.testing.SharedServices;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Strategy 1: jobs dispatched straight onto the queue topics, as a Laravel producer does, in bursts of
 * {@code burst} every 100 ms. Their handler ({@link #HANDLER}, a route file) runs the built-in
 * ProcessOrderEvent handler, whose effect is one processed_jobs row per job id, and also counts each run of
 * the handler in fault_job_runs (no key: a second run of a job shows as a second row).
 */
final class JobLoad extends Load {

    static final String TYPE = "FaultJob";
    static final String HANDLER = """
            - route:
                id: job-FaultJob
                from:
                  uri: direct:job-FaultJob
                  steps:
                    - bean:
                        ref: processOrderEvent
                        method: handle
                    - to: "sql:INSERT INTO fault_job_runs (job_id) VALUES (:#${header[job-id]})"
            """;

    private final String run;
    private final int burst;
    private final KafkaProducer<String, String> producer;
    private volatile long sent;

    JobLoad(String run, int bursts, int burst) {
        super("jobs", null, bursts);
        this.run = run;
        this.burst = burst;
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedServices.properties().get("hub.kafka.brokers"));
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        producer = new KafkaProducer<>(p);
    }

    /** The handler's route file in {@code routesDir} and the table it counts runs in; before the hub starts. */
    static void install(Path routesDir) throws Exception {
        Files.createDirectories(routesDir);
        Files.writeString(routesDir.resolve("fault-job.camel.yaml"), HANDLER);
        Database.execute("CREATE TABLE IF NOT EXISTS fault_job_runs (job_id VARCHAR(64) NOT NULL, KEY (job_id))");
    }

    @Override
    protected boolean send(int i) throws Exception {
        for (int j = 0; j < burst; j++) {
            String id = run + "-job-" + (i * burst + j);
            String queue = j % 2 == 0 ? "orders" : "default";
            producer.send(new ProducerRecord<>(queue, id, "{\"id\":\"" + id + "\",\"type\":\"" + TYPE
                    + "\",\"data\":{\"order_id\":\"" + run + "\"},\"max_tries\":1000,\"backoff\":[1]}"));
        }
        producer.flush();
        sent += burst;
        Thread.sleep(100);
        return true;
    }

    @Override
    void stop() throws Exception {
        super.stop();
        producer.close();
    }

    /** Jobs of this load handled so far. */
    long handled() throws Exception {
        return ((Number) Database.query("SELECT COUNT(*) AS n FROM processed_jobs WHERE order_id = ?", run)
                .get(0).get("n")).longValue();
    }

    Accounting account(String fault) throws Exception {
        Map<String, Object> effects = Database.query("SELECT COUNT(*) AS rows_, COUNT(DISTINCT job_id) AS jobs"
                + " FROM processed_jobs WHERE order_id = ?", run).get(0);
        long rows = ((Number) effects.get("rows_")).longValue();
        long jobs = ((Number) effects.get("jobs")).longValue();
        List<Map<String, Object>> runs = Database.query("SELECT COUNT(*) AS runs, COUNT(DISTINCT job_id) AS jobs"
                + " FROM fault_job_runs WHERE job_id LIKE ?", run + "-job-%");
        long handlerRuns = ((Number) runs.get(0).get("runs")).longValue();
        long ledger = ((Number) Database.query("SELECT COUNT(*) AS n FROM job_ledger WHERE job_id LIKE ?",
                run + "-job-%").get(0).get("n")).longValue();
        return new Accounting(fault, "queue", "jobs", sent, "handled", jobs, sent - jobs, rows - jobs,
                "job_ledger " + ledger + " rows, handler ran " + handlerRuns + " times ("
                        + (handlerRuns - jobs) + " re-runs of a job whose ledger row the dead hub had not written)");
    }
}
