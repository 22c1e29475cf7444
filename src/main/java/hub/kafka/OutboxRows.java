package hub.kafka;

import java.util.List;
import java.util.Map;

import org.apache.camel.CamelContext;
import org.apache.camel.Message;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.support.DefaultMessage;

/**
 * Turns a batch of outbox rows ({@code id, aggregate_uuid, event_type, payload}) into Kafka records in the
 * wire format: key = aggregate uuid, header {@code event-type}.
 */
public final class OutboxRows {

    private OutboxRows() {
    }

    public static List<Object> ids(List<Map<String, Object>> rows) {
        return rows.stream().map(r -> r.get("id")).toList();
    }

    public static List<Message> records(List<Map<String, Object>> rows, CamelContext camel) {
        return rows.stream().map(row -> {
            Message record = new DefaultMessage(camel);
            record.setHeader(KafkaConstants.KEY, row.get("aggregate_uuid"));
            record.setHeader("event-type", row.get("event_type"));
            record.setBody(row.get("payload"));
            return record;
        }).toList();
    }
}
