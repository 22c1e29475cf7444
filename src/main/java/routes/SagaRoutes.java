package routes;

import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import hub.saga.CheckoutApi;
import hub.saga.Step;
import org.apache.camel.ExchangePattern;
import org.apache.camel.LoggingLevel;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.model.SagaDefinition;
import org.apache.camel.model.SagaPropagation;
import org.apache.camel.model.SagaCompletionMode;

/**
 * Strategy 5: the checkout saga with Camel's Saga EIP on an LRA coordinator. {@code POST /api/checkout}
 * starts the saga (an LRA) and answers 202 with its id; the steps then run one after another as Kafka
 * request/reply with a per-step timeout: reserve inventory, process payment, create shipment. When one fails
 * or times out, the hub cancels the LRA and the coordinator calls the compensations of the steps that
 * joined it (release, refund, cancel); when all succeed it closes the LRA and calls the completions.
 * The saga has a time limit at the coordinator, so a saga whose hub died is compensated by the coordinator.
 */
public class SagaRoutes extends RouteBuilder {

    @Override
    public void configure() {
        Duration sagaTimeout = Duration.ofMillis(Long.parseLong(placeholder("hub.saga.timeout-ms")));
        String run = "seda:saga-run?size={{hub.saga.queue-size}}";

        rest("/api/checkout").description("Checkout saga")
                .post().description("Start a checkout: order_id, user_id, items[{sku, qty}], payment{card, amount},"
                        + " address; 202 {order_id, saga_id}").to("direct:api-checkout-start")
                .get("/{orderId}").description("The checkout's state and steps").to("direct:api-checkout-status");

        from("direct:api-checkout-start").routeId("api-checkout-start").routeConfigurationId(ApiErrorPolicy.ID)
                .bean("checkoutApi", "accept")
                .filter(header(CheckoutApi.EXISTING_SAGA).isNull())
                    .to("direct:saga-checkout")
                .end()
                .bean("checkoutApi", "accepted");

        from("direct:api-checkout-status").routeId("api-checkout-status").routeConfigurationId(ApiErrorPolicy.ID)
                .bean("checkoutApi", "status");

        // Starts the LRA (the saga id) and records the checkout under it before answering; the steps run on
        // the saga-run threads. MANUAL: the saga ends when saga-run says so, or at its time limit.
        from("direct:saga-checkout").routeId("saga-checkout")
                .saga().propagation(SagaPropagation.REQUIRES_NEW).completionMode(SagaCompletionMode.MANUAL)
                    .timeout(sagaTimeout)
                    .completion("direct:saga-confirmed")
                    .compensation("direct:saga-compensated")
                .bean("sagaSteps", "begin")
                .to(ExchangePattern.InOnly, run);

        from(run + "&concurrentConsumers={{hub.saga.concurrency}}").routeId("saga-run")
                .doTry()
                    .to("direct:" + Step.INVENTORY.stepRoute())
                    .to("direct:" + Step.PAYMENT.stepRoute())
                    .to("direct:" + Step.SHIPMENT.stepRoute())
                .doCatch(Exception.class)
                    .bean("sagaSteps", "failed")
                    .to("direct:saga-cancel")
                    .stop()
                .end()
                // every step succeeded: the saga is decided and only closes from here on
                .to("direct:saga-close");

        from("direct:saga-cancel").routeId("saga-cancel")
                .doTry()
                    .to("saga:compensate")
                .doCatch(Exception.class)
                    // the LRA already ended (its time limit passed): the coordinator compensates it itself
                    .log(LoggingLevel.WARN, "Cancelling saga ${header[Long-Running-Action]} failed: ${exception.message}")
                .end();

        // Once every step succeeded the saga is decided and is never cancelled by the hub: a close that is not
        // confirmed (coordinator unreachable, or the LRA already ended at its time limit) is left to the
        // coordinator, which retries outstanding completions or has compensated the saga at its time limit.
        from("direct:saga-close").routeId("saga-close")
                .doTry()
                    .to("saga:complete")
                .doCatch(Exception.class)
                    .log(LoggingLevel.WARN, "Closing saga ${header[Long-Running-Action]} was not confirmed"
                            + " (${exception.message}): the coordinator retries its outstanding completions,"
                            + " or compensates it at its time limit if the close never reached it")
                .end();

        for (Step step : Step.values()) {
            String participant = step.participant();
            // a step's failure is handled once, by saga-run, which compensates
            SagaDefinition saga = from("direct:" + step.stepRoute()).routeId(step.stepRoute())
                    .errorHandler(noErrorHandler())
                    .saga().propagation(SagaPropagation.MANDATORY)
                        .compensation("direct:" + step.compensationRoute());
            if (step.completion() != null) {
                saga.completion("direct:" + step.completionRoute());
                from("direct:" + step.completionRoute()).routeId(step.completionRoute())
                        .bean("sagaSteps", "complete(*, '" + participant + "')");
            }
            saga.bean("sagaSteps", "run(*, '" + participant + "')");

            from("direct:" + step.compensationRoute()).routeId(step.compensationRoute())
                    .bean("sagaSteps", "compensate(*, '" + participant + "')");
        }

        from("direct:saga-confirmed").routeId("saga-confirmed").bean("sagaSteps", "confirmed");
        from("direct:saga-compensated").routeId("saga-compensated").bean("sagaSteps", "compensated");

        // every hub instance reads every reply in a group of its own: the one that waits for it takes it
        from("kafka:" + String.join(",", Step.INVENTORY.repliesTopic(), Step.PAYMENT.repliesTopic(),
                Step.SHIPMENT.repliesTopic()) + "?groupId={{hub.saga.replies-group}}"
                + "&pollTimeoutMs={{hub.saga.poll-timeout-ms}}")
                .routeId("saga-replies")
                .routeConfigurationId(ErrorPolicy.ID)
                .unmarshal().json(JsonNode.class)
                .bean("replies", "deliver");
    }

    private String placeholder(String key) {
        return getCamelContext().resolvePropertyPlaceholders("{{" + key + "}}");
    }
}
