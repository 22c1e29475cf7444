package hub.errors;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;

import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.kafka.KafkaConstants;

/**
 * Writes why a message failed into its headers before it goes to the dead-letter topic, and counts it in
 * {@code hub_dead_letter_messages_total{source_topic, route}}. A body over {@code hub.dead-letter.max-body-bytes}
 * is cut to that size (header {@code dead-letter-body-bytes} keeps its real size): the dead-letter record must
 * never be refused itself, or the source record could be neither handled nor set aside. The whole original
 * stays on its source topic, at the partition and offset the headers name.
 */
public class DeadLetters implements CamelContextAware {

    public static final String REASON = "dead-letter-reason";
    public static final String EXCEPTION = "dead-letter-exception";
    public static final String KIND = "dead-letter-kind";
    public static final String ROUTE = "dead-letter-route";
    public static final String ATTEMPTS = "dead-letter-attempts";
    public static final String SOURCE_TOPIC = "dead-letter-source-topic";
    public static final String SOURCE_PARTITION = "dead-letter-source-partition";
    public static final String SOURCE_OFFSET = "dead-letter-source-offset";
    public static final String FAILED_AT = "dead-letter-failed-at";
    public static final String BODY_BYTES = "dead-letter-body-bytes";

    private static final String REDELIVERIES = "hub.redeliveries";

    private CamelContext camelContext;

    /** Keeps the redelivery count where the dead-letter step can read it (the message is reset to its original). */
    public static void countRedelivery(Exchange exchange) {
        exchange.setProperty(REDELIVERIES, exchange.getIn().getHeader(Exchange.REDELIVERY_COUNTER, 0, Integer.class));
    }

    public void describe(Exchange exchange) {
        Message in = exchange.getIn();
        Throwable failure = FailureClassifier.failureOf(exchange);
        String route = exchange.getProperty(Exchange.FAILURE_ROUTE_ID, "unknown", String.class);
        String topic = in.getHeader(KafkaConstants.TOPIC, "none", String.class);

        in.setHeader(REASON, failure == null ? "unknown" : String.valueOf(failure.getMessage()));
        in.setHeader(EXCEPTION, failure == null ? "unknown" : failure.getClass().getName());
        in.setHeader(KIND, FailureClassifier.isPoison(failure) ? "poison"
                : FailureClassifier.isTransient(failure) ? "transient" : "error");
        in.setHeader(ROUTE, route);
        // text headers, so that any Kafka client (kcat, PHP) can read them
        in.setHeader(ATTEMPTS, String.valueOf(1 + exchange.getProperty(REDELIVERIES, 0, Integer.class)));
        in.setHeader(SOURCE_TOPIC, topic);
        in.setHeader(SOURCE_PARTITION, in.getHeader(KafkaConstants.PARTITION, "", String.class));
        in.setHeader(SOURCE_OFFSET, in.getHeader(KafkaConstants.OFFSET, "", String.class));
        in.setHeader(FAILED_AT, Instant.now().toString());
        cutOversizedBody(in);

        MeterRegistry metrics = camelContext.getRegistry().lookupByNameAndType("metricsRegistry", MeterRegistry.class);
        if (metrics != null) {
            metrics.counter("hub.dead.letter.messages", "source_topic", topic, "route", route).increment();
        }
    }

    private void cutOversizedBody(Message in) {
        String body = in.getBody(String.class);
        int max = Integer.parseInt(camelContext.resolvePropertyPlaceholders("{{hub.dead-letter.max-body-bytes}}"));
        if (body == null || body.length() * 3L <= max) {
            return; // no UTF-8 text of this many chars can be over the limit
        }
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > max) {
            in.setHeader(BODY_BYTES, String.valueOf(bytes.length));
            in.setBody(new String(Arrays.copyOf(bytes, max), StandardCharsets.UTF_8));
        }
    }

    @Override
    public void setCamelContext(CamelContext camelContext) {
        this.camelContext = camelContext;
    }

    @Override
    public CamelContext getCamelContext() {
        return camelContext;
    }
}
