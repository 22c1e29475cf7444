package hub.cdc;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.camel.Exchange;

/**
 * One row change read from a Debezium envelope.
 *
 * @param table    {@code <database>.<table>}
 * @param key      the record key (primary key columns) as compact JSON, e.g. {@code {"id":5}}
 * @param id       the primary key as one string (the values joined by {@code _}): the document id
 * @param op       c, r (snapshot read), u or d
 * @param position where the change is in the source's log: {@code <binlog file>:<pos>:<row>}
 * @param sourceTsMs when the change was committed in the source database
 * @param tsMs     when Debezium processed it
 * @param record   the Kafka record it came from, for the dead-letter topic if a sink refuses it
 */
public record Change(String table, String key, String id, String op, JsonNode before, JsonNode after,
                     String position, long sourceTsMs, long tsMs, Exchange record) {

    public boolean isDelete() {
        return "d".equals(op);
    }
}
