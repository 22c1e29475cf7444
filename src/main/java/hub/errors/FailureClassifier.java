package hub.errors;

import java.io.IOException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.util.concurrent.TimeoutException;

import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import com.fasterxml.jackson.core.JacksonException;
import org.apache.camel.Exchange;
import org.apache.camel.InvalidPayloadException;
import org.apache.camel.TypeConversionException;
import org.apache.kafka.common.errors.RetriableException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.TransientDataAccessException;

/**
 * Sorts failures for the shared error policy: poison input is dead-lettered at once, a transient fault
 * (a dependency down or slow) is retried with backoff until it passes.
 */
public final class FailureClassifier {

    private FailureClassifier() {
    }

    public static boolean isPoison(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof PoisonMessageException || t instanceof JacksonException
                    || t instanceof InvalidPayloadException || t instanceof TypeConversionException) {
                return true;
            }
        }
        return false;
    }

    public static boolean isTransient(Throwable failure) {
        if (isPoison(failure)) {
            return false;
        }
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof IOException || t instanceof TimeoutException || t instanceof RetriableException
                    || t instanceof SQLTransientException || t instanceof SQLRecoverableException
                    || t instanceof SQLNonTransientConnectionException || t instanceof TransientDataAccessException
                    || t instanceof DataAccessResourceFailureException) {
                return true;
            }
            if (t instanceof ElasticsearchException es && (es.status() == 429 || es.status() >= 500)) {
                return true;
            }
        }
        return false;
    }

    public static boolean isPoison(Exchange exchange) {
        return isPoison(failureOf(exchange));
    }

    public static boolean isTransient(Exchange exchange) {
        return isTransient(failureOf(exchange));
    }

    public static Throwable failureOf(Exchange exchange) {
        Throwable caught = exchange.getException();
        return caught != null ? caught : exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
    }
}
