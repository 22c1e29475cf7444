package hub.jobs;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import hub.api.ApiErrors;
import hub.api.ApiException;
import hub.errors.JsonInput;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.kafka.KafkaConstants;

/** {@code /api/jobs}: dispatch a job to a queue, and Laravel's queue:failed, queue:retry, queue:forget. */
public class JobsApi {

    private final List<String> queues;
    private final FailedJobs failedJobs;
    private final JobHandlers handlers;
    private final ProducerTemplate kafka;

    public JobsApi(List<String> queues, FailedJobs failedJobs, JobHandlers handlers, CamelContext camel) {
        this.queues = queues;
        this.handlers = handlers;
        this.failedJobs = failedJobs;
        this.kafka = camel.createProducerTemplate();
    }

    /** Validates the job (an id is given when missing) and sends it to its queue; answers 202. */
    public void dispatch(Exchange exchange) throws JsonProcessingException {
        String queue = exchange.getIn().getHeader("queue", String.class);
        if (!queues.contains(queue)) {
            throw ApiException.notFound("unknown queue: " + queue + " (queues: " + String.join(", ", queues) + ")");
        }
        String body = exchange.getIn().getBody(String.class);
        ObjectNode job = JsonInput.object(body);
        if (!job.has("id") && !job.has("job")) {
            job.put("id", UUID.randomUUID().toString());
            body = job.toString();
        }
        JobEnvelope envelope = JobEnvelopes.parse(body);
        if (!handlers.handles(envelope.type())) {
            // the queue would only fail it: say so to the caller instead
            throw new ApiException(400, "unknown job type: " + envelope.type() + " (no route from direct:job-"
                    + envelope.type() + ")");
        }
        send(queue, envelope.id(), body);
        ApiErrors.respond(exchange, 202, Map.of("id", envelope.id(), "queue", queue));
    }

    public void list(Exchange exchange) throws JsonProcessingException {
        ApiErrors.respond(exchange, 200, failedJobs.list());
    }

    /** queue:retry: the original payload goes back on its queue, and the failed record is removed. */
    public void retryOne(Exchange exchange) throws JsonProcessingException {
        String id = exchange.getIn().getHeader("id", String.class);
        ApiErrors.respond(exchange, 202, retry(id));
    }

    public void retryAll(Exchange exchange) throws JsonProcessingException {
        List<Map<String, Object>> retried = failedJobs.list().stream().map(f -> retry((String) f.get("id"))).toList();
        ApiErrors.respond(exchange, 202, Map.of("retried", retried.size(), "jobs", retried));
    }

    /** queue:forget. */
    public void forget(Exchange exchange) throws JsonProcessingException {
        String id = exchange.getIn().getHeader("id", String.class);
        if (!failedJobs.forget(id)) {
            throw ApiException.notFound("no failed job " + id);
        }
        ApiErrors.respond(exchange, 200, Map.of("id", id, "forgotten", true));
    }

    private Map<String, Object> retry(String id) {
        Map<String, Object> failed = failedJobs.find(id);
        if (failed == null) {
            throw ApiException.notFound("no failed job " + id);
        }
        String queue = (String) failed.get("queue");
        send(queue, id, (String) failed.get("payload"));
        failedJobs.forget(id);
        return Map.of("id", id, "queue", queue);
    }

    private void send(String queue, String key, String payload) {
        kafka.sendBodyAndHeader("kafka:" + queue, payload, KafkaConstants.KEY, key);
    }
}
