package hub.cdc;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import hub.errors.PoisonMessageException;
import hub.kafka.KafkaBatches;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.kafka.KafkaConstants;

/**
 * Reads a poll of CDC topic records into {@link Change}s. Accepts Debezium's JSON envelope with or without the
 * Kafka Connect schema wrapper ({@code {"schema", "payload"}}), so topics filled by Kafka Connect work too.
 * Tombstones (null value after a delete) carry nothing to apply and are skipped; an unreadable event goes to the
 * dead-letter topic on its own.
 */
public class ChangeEvents {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> OPS = Set.of("c", "r", "u", "d");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_$]{1,64}");

    private final ProducerTemplate deadLetters;
    private final String deadLetterEndpoint;

    public ChangeEvents(ProducerTemplate deadLetters, String deadLetterEndpoint) {
        this.deadLetters = deadLetters;
        this.deadLetterEndpoint = deadLetterEndpoint;
    }

    public List<Change> parse(List<Exchange> records) {
        List<Change> changes = new ArrayList<>(records.size());
        for (Exchange record : records) {
            String value = record.getIn().getBody(String.class);
            if (value == null || value.isEmpty()) {
                continue;
            }
            try {
                changes.add(change(record.getIn().getHeader(KafkaConstants.KEY, String.class), value, record));
            } catch (PoisonMessageException e) {
                KafkaBatches.deadLetter(deadLetters, deadLetterEndpoint, record, e);
            }
        }
        return changes;
    }

    static Change change(String keyText, String valueText, Exchange record) {
        JsonNode value = payload(read(valueText, "value"));
        String op = value.path("op").asText();
        if (!OPS.contains(op)) {
            throw new PoisonMessageException("not a Debezium change event: op is '" + op + "'");
        }
        JsonNode source = value.path("source");
        if (!source.path("db").isTextual() || !source.path("table").isTextual()) {
            throw new PoisonMessageException("change event without source.db and source.table");
        }
        // they name the index and the warehouse's source_table: only what MySQL allows in a bare name
        if (!NAME.matcher(source.get("db").asText()).matches() || !NAME.matcher(source.get("table").asText()).matches()) {
            throw new PoisonMessageException("change event whose source.db or source.table is not a table name");
        }
        JsonNode key = keyText == null ? null : payload(read(keyText, "key"));
        if (key == null || !key.isObject() || key.isEmpty()) {
            throw new PoisonMessageException("change event without a primary key in the record key");
        }
        List<String> ids = new ArrayList<>();
        for (Iterator<JsonNode> it = key.elements(); it.hasNext(); ) {
            ids.add(it.next().asText());
        }
        JsonNode before = value.path("before").isObject() ? value.get("before") : null;
        JsonNode after = value.path("after").isObject() ? value.get("after") : null;
        if (after == null && !"d".equals(op) || before == null && "d".equals(op)) {
            throw new PoisonMessageException("change event '" + op + "' without its row image");
        }
        return new Change(source.get("db").asText() + "." + source.get("table").asText(), key.toString(),
                String.join("_", ids), op, before, after, position(source), source.path("ts_ms").asLong(),
                value.path("ts_ms").asLong(), record);
    }

    /** Binlog coordinates: unique per row change (a snapshot's rows share one position and differ by key). */
    private static String position(JsonNode source) {
        return source.path("file").asText() + ":" + source.path("pos").asLong() + ":" + source.path("row").asInt();
    }

    private static JsonNode payload(JsonNode node) {
        return node.has("schema") && node.has("payload") ? node.get("payload") : node;
    }

    private static JsonNode read(String text, String what) {
        try {
            return JSON.readTree(text);
        } catch (Exception e) {
            throw new PoisonMessageException("change event " + what + " is not JSON: " + e.getMessage());
        }
    }
}
