package hub.kafka;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.component.kafka.consumer.KafkaManualCommit;

/**
 * For routes that take a whole Kafka poll as one exchange ({@code batching=true}) and commit it themselves
 * once the batch's work is done.
 */
public final class KafkaBatches {

    private KafkaBatches() {
    }

    /** Commits each partition up to its last record in the batch. */
    public static void commit(List<Exchange> records) {
        Map<Integer, Exchange> last = new LinkedHashMap<>();
        records.forEach(r -> last.put(r.getIn().getHeader(KafkaConstants.PARTITION, Integer.class), r));
        last.values().forEach(r -> r.getIn().getHeader(KafkaConstants.MANUAL_COMMIT, KafkaManualCommit.class).commit());
    }

    /**
     * Sends one record of a batch to the dead-letter route with its reason, so the rest of the batch goes on.
     * The dead-letter route writes the same headers as the shared error policy does.
     */
    public static void deadLetter(ProducerTemplate producer, String endpoint, Exchange record, Exception failure) {
        record.setProperty(Exchange.EXCEPTION_CAUGHT, failure);
        record.setProperty(Exchange.FAILURE_ROUTE_ID, record.getFromRouteId());
        producer.send(endpoint, record);
    }
}
