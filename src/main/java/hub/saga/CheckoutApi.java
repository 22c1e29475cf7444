package hub.saga;

import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import hub.api.ApiErrors;
import hub.api.ApiException;
import org.apache.camel.Exchange;

/** {@code /api/checkout}: HTTP in and out of the checkout saga. */
public class CheckoutApi {

    /** Header set when the order was checked out before: the saga is not started again. */
    public static final String EXISTING_SAGA = "hubExistingSaga";

    private final SagaLog log;

    public CheckoutApi(SagaLog log) {
        this.log = log;
    }

    /** Parses the request into the body; a repeated order id keeps its first saga (a client retrying a POST). */
    public void accept(Exchange exchange) {
        Checkout checkout = Checkout.parse(exchange.getIn().getBody(String.class));
        exchange.getIn().setBody(checkout);
        log.sagaOf(checkout.orderId()).ifPresent(saga -> exchange.getIn().setHeader(EXISTING_SAGA, saga));
    }

    public void accepted(Exchange exchange) throws JsonProcessingException {
        Checkout checkout = exchange.getIn().getBody(Checkout.class);
        String saga = exchange.getIn().getHeader(EXISTING_SAGA, String.class);
        if (saga == null) {
            saga = exchange.getIn().getHeader(Exchange.SAGA_LONG_RUNNING_ACTION, String.class);
        }
        ApiErrors.respond(exchange, 202, Map.of("order_id", checkout.orderId(), "saga_id", saga));
    }

    public void status(Exchange exchange) throws JsonProcessingException {
        String orderId = exchange.getIn().getHeader("orderId", String.class);
        ApiErrors.respond(exchange, 200, log.view(orderId)
                .orElseThrow(() -> ApiException.notFound("no checkout for order " + orderId)));
    }
}
