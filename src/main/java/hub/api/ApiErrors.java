package hub.api;

import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import hub.errors.FailureClassifier;
import hub.errors.PoisonMessageException;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a failed API exchange into a JSON error answer: {@code {"error", "message"}} with a 4xx, a 503 when a
 * dependency is down (the request changed nothing and may be sent again), or 500.
 */
public final class ApiErrors {

    private static final Logger LOG = LoggerFactory.getLogger(ApiErrors.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A refusal that can say more than one message, e.g. one error per invalid field. */
    public interface Detailed {
        Object details();
    }

    private ApiErrors() {
    }

    public static void respond(Exchange exchange) throws JsonProcessingException {
        Throwable failure = FailureClassifier.failureOf(exchange);
        int status;
        if (failure instanceof ApiException api) {
            status = api.status();
        } else if (failure instanceof PoisonMessageException) {
            status = 400;
        } else if (FailureClassifier.isTransient(failure)) {
            LOG.warn("API request refused, a dependency is unavailable: {}", failure.toString());
            respond(exchange, 503, Map.of("error", "unavailable",
                    "message", "a service the hub depends on is unavailable; retry later"));
            exchange.getMessage().setHeader("Retry-After", "5");
            return;
        } else {
            status = 500;
            LOG.error("API request failed", failure);
        }
        String message = status == 500 ? "internal error" : String.valueOf(failure.getMessage());
        if (failure instanceof Detailed detailed) {
            respond(exchange, status, Map.of("error", reason(status), "message", message, "errors", detailed.details()));
        } else {
            respond(exchange, status, Map.of("error", reason(status), "message", message));
        }
        if (failure instanceof ApiException api) {
            api.headers().forEach(exchange.getMessage()::setHeader);
        }
    }

    public static void respond(Exchange exchange, int status, Object body) throws JsonProcessingException {
        exchange.getMessage().removeHeaders("*");
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json");
        exchange.getMessage().setBody(JSON.writeValueAsString(body));
    }

    private static String reason(int status) {
        return switch (status) {
            case 400 -> "bad_request";
            case 401 -> "unauthorized";
            case 404 -> "not_found";
            case 409 -> "conflict";
            case 413 -> "payload_too_large";
            default -> status < 500 ? "client_error" : "server_error";
        };
    }
}
