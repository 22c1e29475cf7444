package routes;

import hub.errors.DeadLetters;
import hub.errors.FailureClassifier;
import org.apache.camel.LoggingLevel;
import org.apache.camel.builder.RouteConfigurationBuilder;

/**
 * The one error-handling policy every consuming route opts into with
 * {@code .routeConfigurationId(ErrorPolicy.ID)}:
 * <ul>
 * <li>poison input (bad JSON, missing fields, unknown types) goes to the dead-letter topic at once;</li>
 * <li>transient faults (a dependency down or slow) are retried in place with exponential backoff, which
 * holds the partition and so keeps per-key order;</li>
 * <li>anything else gets a few tries, then the dead-letter topic.</li>
 * </ul>
 * If even the dead-letter send fails, the exchange fails unhandled and Kafka redelivers the record:
 * nothing is committed that was neither processed nor dead-lettered.
 */
public class ErrorPolicy extends RouteConfigurationBuilder {

    public static final String ID = "error-policy";

    @Override
    public void configuration() {
        routeConfiguration(ID)
                .errorHandler(deadLetterChannel(DeadLetterRoutes.ENDPOINT)
                        .deadLetterHandleNewException(false)
                        .useOriginalBody()
                        .onRedelivery(DeadLetters::countRedelivery)
                        .maximumRedeliveries(Integer.parseInt(placeholder("hub.errors.other.maximum-redeliveries")))
                        .redeliveryDelay(Long.parseLong(placeholder("hub.errors.other.initial-delay-ms")))
                        .useExponentialBackOff()
                        .backOffMultiplier(2)
                        .asyncDelayedRedelivery()
                        .retryAttemptedLogLevel(LoggingLevel.WARN))

                .onException(Exception.class).onWhen(FailureClassifier::isPoison)
                    .handled(true)
                    .maximumRedeliveries(0)
                    .useOriginalBody()
                    .to(DeadLetterRoutes.ENDPOINT)
                .end()

                .onException(Exception.class).onWhen(FailureClassifier::isTransient)
                    .handled(true)
                    .maximumRedeliveries("{{hub.errors.transient.maximum-redeliveries}}")
                    .redeliveryDelay("{{hub.errors.transient.initial-delay-ms}}")
                    .useExponentialBackOff()
                    .backOffMultiplier(2)
                    .maximumRedeliveryDelay("{{hub.errors.transient.maximum-delay-ms}}")
                    // wait on Camel's scheduler, not on the thread that reported the failure: for the async
                    // Elasticsearch producer that is the client's I/O thread, and sleeping there stalls every
                    // Elasticsearch call of the hub (health checks included) until the backoff ends
                    .asyncDelayedRedelivery()
                    .retryAttemptedLogLevel(LoggingLevel.WARN)
                    .onRedelivery(DeadLetters::countRedelivery)
                    .useOriginalBody()
                    .to(DeadLetterRoutes.ENDPOINT)
                .end();
    }

    private String placeholder(String key) {
        return getCamelContext().resolvePropertyPlaceholders("{{" + key + "}}");
    }
}
