package hub.cdc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import hub.errors.PoisonMessageException;
import org.junit.jupiter.api.Test;

/** The envelope as the hub's engine writes it and as Kafka Connect writes it with schemas on. */
class ChangeEventsTest {

    private static final String ENVELOPE = """
            {"before":{"id":7,"name":"old"},"after":{"id":7,"name":"new"},"op":"u","ts_ms":1700000000500,
             "source":{"db":"laravel_db","table":"users","file":"binlog.000003","pos":4711,"row":2,"ts_ms":1700000000000}}""";

    @Test
    void readsTheSchemalessEnvelope() {
        Change change = ChangeEvents.change("{\"id\":7}", ENVELOPE, null);
        assertEquals("laravel_db.users", change.table());
        assertEquals("{\"id\":7}", change.key());
        assertEquals("7", change.id());
        assertEquals("u", change.op());
        assertEquals("old", change.before().get("name").asText());
        assertEquals("new", change.after().get("name").asText());
        assertEquals("binlog.000003:4711:2", change.position());
        assertEquals(1700000000000L, change.sourceTsMs());
        assertEquals(1700000000500L, change.tsMs());
    }

    @Test
    void readsKafkaConnectsSchemaWrappedEnvelopeAndCompositeKeys() {
        Change change = ChangeEvents.change(
                "{\"schema\":{\"type\":\"struct\"},\"payload\":{\"order_id\":3,\"sku\":\"A-1\"}}",
                "{\"schema\":{\"type\":\"struct\"},\"payload\":" + ENVELOPE.replace("\"u\"", "\"d\"")
                        .replace("\"after\":{\"id\":7,\"name\":\"new\"}", "\"after\":null") + "}", null);
        assertEquals("3_A-1", change.id());
        assertEquals("d", change.op());
        assertNull(change.after());
    }

    @Test
    void refusesWhatIsNotAChangeEvent() {
        assertThrows(PoisonMessageException.class, () -> ChangeEvents.change("{\"id\":1}", "not json", null));
        assertThrows(PoisonMessageException.class, () -> ChangeEvents.change("{\"id\":1}", "{\"op\":\"x\"}", null));
        assertThrows(PoisonMessageException.class, () -> ChangeEvents.change(null, ENVELOPE, null));
        assertThrows(PoisonMessageException.class, () -> ChangeEvents.change("{\"id\":7}",
                ENVELOPE.replace("\"after\":{\"id\":7,\"name\":\"new\"}", "\"after\":null"), null));
    }
}
