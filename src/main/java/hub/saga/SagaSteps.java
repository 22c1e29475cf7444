package hub.saga;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;

import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.kafka.KafkaConstants;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the saga routes do at each point: record the checkout under its LRA id, run a step as a Kafka
 * request/reply with the step timeout, and run the coordinator's completion and compensation callbacks.
 */
public class SagaSteps {

    /** The exchange property that carries the checkout through the steps. */
    public static final String CHECKOUT = "hubCheckout";

    private static final Logger LOG = LoggerFactory.getLogger(SagaSteps.class);

    private final SagaLog log;
    private final Replies replies;
    private final ProducerTemplate kafka;
    private final Duration stepTimeout;

    public SagaSteps(SagaLog log, Replies replies, ProducerTemplate kafka, Duration stepTimeout) {
        this.log = log;
        this.replies = replies;
        this.kafka = kafka;
        this.stepTimeout = stepTimeout;
    }

    /** First thing inside the saga: the checkout is on record under its LRA id before any step runs. */
    public void begin(Exchange exchange) {
        Checkout checkout = exchange.getIn().getBody(Checkout.class);
        log.start(checkout, sagaId(exchange));
        exchange.setProperty(CHECKOUT, checkout);
    }

    /** Runs {@code participant}'s step; a refusal or no answer within the step timeout fails the saga. */
    public void run(Exchange exchange, String participant) throws InterruptedException {
        Step step = Step.of(participant);
        Checkout checkout = exchange.getProperty(CHECKOUT, Checkout.class);
        log.step(checkout.orderId(), step, "PENDING", null);
        Replies.Reply reply;
        try {
            reply = request(checkout, step, step.action());
        } catch (TimeoutException e) {
            String reason = step.participant() + " did not answer within " + stepTimeout.toMillis() + " ms";
            log.step(checkout.orderId(), step, "TIMED_OUT", reason);
            throw new StepFailedException(reason);
        }
        if (!reply.success()) {
            log.step(checkout.orderId(), step, "FAILED", reply.reason());
            throw new StepFailedException(step.participant() + ": " + reply.reason());
        }
        log.step(checkout.orderId(), step, "DONE", null);
    }

    /** Keeps why the saga failed, for {@code GET /api/checkout/{orderId}}. */
    public void failed(Exchange exchange) {
        Checkout checkout = exchange.getProperty(CHECKOUT, Checkout.class);
        Throwable failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        String reason = failure == null ? "failed" : failure.getMessage();
        LOG.info("Checkout {} failed, compensating: {}", checkout.orderId(), reason);
        log.failing(checkout.orderId(), reason);
    }

    /**
     * Coordinator callback: undo {@code participant}'s step. It answers only once the participant confirmed,
     * so a compensation that cannot run now fails the callback and the coordinator calls again. A saga the
     * coordinator confirmed is not undone: such a call is acknowledged, logged and counted.
     */
    public void compensate(Exchange exchange, String participant) throws Exception {
        Step step = Step.of(participant);
        String sagaId = sagaId(exchange);
        var checkout = log.checkoutOf(sagaId);
        if (checkout.isEmpty()) {
            return;
        }
        if (log.completed(sagaId)) {
            // Narayana's periodic recovery restores an LRA that is still running and arms its time limit on that
            // copy; at the limit the copy cancels the LRA although it closed long ago. A confirmed order stays so.
            LOG.warn("Checkout {}: {} ignored, the saga completed already", checkout.get().orderId(), step.compensation());
            log.contradicted(step);
            return;
        }
        Replies.Reply reply = request(checkout.get(), step, step.compensation());
        if (!reply.success()) {
            throw new IllegalStateException(step.compensation() + " refused: " + reply.reason());
        }
        log.compensated(checkout.get().orderId(), step);
        LOG.info("Checkout {}: {} compensated ({})", checkout.get().orderId(), step.participant(), step.compensation());
    }

    /** Coordinator callback once every step succeeded: {@code participant} makes its step final. */
    public void complete(Exchange exchange, String participant) throws Exception {
        Step step = Step.of(participant);
        var checkout = log.checkoutOf(sagaId(exchange));
        if (checkout.isPresent() && step.completion() != null) {
            Replies.Reply reply = request(checkout.get(), step, step.completion());
            if (!reply.success()) {
                throw new IllegalStateException(step.completion() + " refused: " + reply.reason());
            }
        }
    }

    /** Coordinator callback: the saga completed, the order is confirmed. */
    public void confirmed(Exchange exchange) {
        log.finish(sagaId(exchange), SagaLog.COMPLETED);
    }

    /** Coordinator callback: the saga was compensated. */
    public void compensated(Exchange exchange) {
        log.finish(sagaId(exchange), SagaLog.COMPENSATED);
    }

    private Replies.Reply request(Checkout checkout, Step step, String action)
            throws TimeoutException, InterruptedException {
        CompletableFuture<Replies.Reply> reply = replies.expect(checkout.orderId(), action);
        try {
            kafka.sendBodyAndHeader("kafka:" + step.commandsTopic(), checkout.command(step, action),
                    KafkaConstants.KEY, checkout.orderId());
        } catch (RuntimeException e) {
            replies.forget(checkout.orderId(), action, reply);
            throw e;
        }
        LOG.debug("{} {} sent for order {}", step.participant(), action, checkout.orderId());
        return replies.await(checkout.orderId(), action, reply, stepTimeout);
    }

    private static String sagaId(Exchange exchange) {
        String id = exchange.getIn().getHeader(Exchange.SAGA_LONG_RUNNING_ACTION, String.class);
        if (id == null) {
            throw new IllegalStateException("no " + Exchange.SAGA_LONG_RUNNING_ACTION + " header");
        }
        return id;
    }
}
