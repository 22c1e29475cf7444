package hub.kafka;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.component.kafka.consumer.KafkaManualCommit;

/** For routes that consume a Kafka poll as one batch ({@code batching=true}) and apply it in one go. */
public final class KafkaBatches {

    private KafkaBatches() {
    }

    /** Commits each partition's last record of the batch, once all of it is applied or dead-lettered. */
    public static void commit(List<Exchange> records) {
        Map<Integer, Exchange> last = new LinkedHashMap<>();
        records.forEach(r -> last.put(r.getIn().getHeader(KafkaConstants.PARTITION, Integer.class), r));
        last.values().forEach(r -> r.getIn().getHeader(KafkaConstants.MANUAL_COMMIT, KafkaManualCommit.class).commit());
    }

    /** Sends one record of the batch to the dead-letter route with its failure, while the rest goes on. */
    public static void deadLetter(ProducerTemplate template, String endpoint, Exchange record, Exception failure) {
        record.setProperty(Exchange.EXCEPTION_CAUGHT, failure);
        record.setProperty(Exchange.FAILURE_ROUTE_ID, record.getFromRouteId());
        template.send(endpoint, record);
    }
}
