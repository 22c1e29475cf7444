package routes;

import java.util.List;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import hub.jobs.JobEnvelopes;
import hub.jobs.JobRetries;
import hub.jobs.QueueMetrics;
import hub.jobs.Queues;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.kafka.KafkaConstants;

/**
 * Strategy 1: Kafka as a job queue. Each queue is a topic; a job of type T is handled by the route from
 * {@code direct:job-T} ({@code camel/job-handlers.camel.yaml}, or a YAML file in HUB_ROUTES_DIR); retries follow the job's own {@code max_tries}/{@code backoff};
 * a job that keeps failing, or cannot be read, goes to {@code <queue>.failed} and into {@code failed_jobs},
 * from where the API retries or forgets it.
 */
public class QueueRoutes extends RouteBuilder {

    @Override
    public void configure() {
        List<String> queues = Queues.names(getContext().resolvePropertyPlaceholders("{{hub.queue.names}}"));
        QueueMetrics metrics = getContext().getRegistry().lookupByNameAndType("queueMetrics", QueueMetrics.class);
        String failedTopics = queues.stream().map(Queues::failedTopic).collect(Collectors.joining(","));

        from("kafka:" + String.join(",", queues) + "?groupId={{hub.kafka.group-id}}&consumersCount={{hub.queue.consumers}}")
                .routeId("queue-process-jobs")
                .onException(Exception.class)
                    .retryWhile(method("jobRetries", "retry"))
                    .onRedelivery(metrics::retried)
                    .handled(true)
                    .useOriginalBody()
                    .to("direct:queue-job-failed")
                .end()
                .setProperty(JobRetries.QUEUE, header(KafkaConstants.TOPIC))
                .bean("queueMetrics", "started")
                .setProperty(JobRetries.JOB, method(JobEnvelopes.class, "parse"))
                .choice()
                    .when(method("jobLedger", "isNew"))
                        .bean("jobHandlers", "run")
                        .bean("jobLedger", "completed")
                        .bean("queueMetrics", "processed")
                    .otherwise()
                        .log("Job ${exchangeProperty.hubJob.id} already ran; skipping the duplicate")
                        .bean("queueMetrics", "duplicate")
                .end();

        // the failed record is durable on Kafka before the job's offset is committed
        from("direct:queue-job-failed").routeId("queue-record-failed-job")
                .setBody(method("failedJobs", "record"))
                .setHeader(KafkaConstants.KEY, simple("${body[id]}"))
                .log("Job ${body[id]} failed after ${body[attempts]} attempt(s): ${body[exception]}")
                .marshal().json()
                .toD("kafka:${exchangeProperty.hubJobQueue}.failed")
                .bean("queueMetrics", "failed");

        from("kafka:" + failedTopics + "?groupId={{hub.queue.failed-jobs-group}}")
                .routeId("queue-failed-jobs-to-sql")
                .routeConfigurationId(ErrorPolicy.ID)
                .unmarshal().json(JsonNode.class)
                .bean("failedJobs", "store");

        rest("/api/jobs").description("Job queue")
                .get("/failed").description("Failed jobs (queue:failed)").to("direct:api-jobs-failed")
                .post("/failed/retry-all").description("Retry every failed job").to("direct:api-jobs-retry-all")
                .post("/failed/{id}/retry").description("Retry one failed job (queue:retry)").to("direct:api-jobs-retry")
                .delete("/failed/{id}").description("Forget a failed job (queue:forget)").to("direct:api-jobs-forget")
                .post("/{queue}").description("Dispatch a job to a queue").to("direct:api-jobs-dispatch");

        from("direct:api-jobs-dispatch").routeId("api-jobs-dispatch").routeConfigurationId(ApiErrorPolicy.ID)
                .bean("jobsApi", "dispatch");
        from("direct:api-jobs-failed").routeId("api-jobs-failed").routeConfigurationId(ApiErrorPolicy.ID)
                .bean("jobsApi", "list");
        from("direct:api-jobs-retry").routeId("api-jobs-retry").routeConfigurationId(ApiErrorPolicy.ID)
                .bean("jobsApi", "retryOne");
        from("direct:api-jobs-retry-all").routeId("api-jobs-retry-all").routeConfigurationId(ApiErrorPolicy.ID)
                .bean("jobsApi", "retryAll");
        from("direct:api-jobs-forget").routeId("api-jobs-forget").routeConfigurationId(ApiErrorPolicy.ID)
                .bean("jobsApi", "forget");
    }
}
