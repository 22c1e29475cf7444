package routes;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import hub.errors.DeadLetters;
import hub.testing.Database;
import hub.testing.HubTestSupport;
import hub.testing.Kafka;
import hub.testing.Search;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

class PipeRoutesTest extends HubTestSupport {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(60);

    @Test
    void messageFromAPlainKafkaClientIsStoredInSqlAndIndexedInElasticsearch() throws Exception {
        String id = UUID.randomUUID().toString();
        Kafka.send(property("hub.pipe.topic"), id,
                "{\"id\":\"" + id + "\",\"customer\":\"Zoë Ångström\",\"total\":12.50,\"paid\":true}");

        Map<String, Object> row = await().atMost(WAIT).until(() -> one(id), r -> r != null);
        JsonNode payload = JSON.readTree((String) row.get("payload"));
        assertEquals("Zoë Ångström", payload.get("customer").asText());
        assertEquals(12.50, payload.get("total").asDouble());
        assertEquals(property("hub.pipe.topic"), row.get("source_topic"));

        JsonNode doc = await().atMost(WAIT).until(() -> Search.document("pipe-messages", id), d -> d != null);
        assertEquals("Zoë Ångström", doc.get("customer").asText());
        assertTrue(doc.get("paid").asBoolean());
    }

    @Test
    void redeliveredMessageIsWrittenOnce() throws Exception {
        String id = UUID.randomUUID().toString();
        String message = "{\"id\":\"" + id + "\",\"n\":1}";
        Kafka.send(property("hub.pipe.topic"), id, message);
        Kafka.send(property("hub.pipe.topic"), id, message);
        String marker = UUID.randomUUID().toString();
        Kafka.send(property("hub.pipe.topic"), id, "{\"id\":\"" + marker + "\"}");

        // same key, same partition: once the marker behind both copies is stored, both copies were handled
        await().atMost(WAIT).until(() -> one(marker) != null);
        assertEquals(1, Database.query("SELECT * FROM pipe_messages WHERE id = ?", id).size());
        assertNotNull(Search.document("pipe-messages", id));
    }

    @Test
    void poisonMessagesGoToTheDeadLetterTopicWithTheReasonAndTheConsumerKeepsGoing() throws Exception {
        String key = UUID.randomUUID().toString();
        String malformed = "{\"id\": \"" + key + "\", oops";
        String missingId = "{\"customer\":\"" + key + "\"}";
        String valid = UUID.randomUUID().toString();
        Kafka.send(property("hub.pipe.topic"), key, malformed);
        Kafka.send(property("hub.pipe.topic"), key, missingId);
        Kafka.send(property("hub.pipe.topic"), key, "{\"id\":\"" + valid + "\"}");

        await().atMost(WAIT).until(() -> one(valid) != null);
        List<ConsumerRecord<String, String>> dead = await().atMost(WAIT).until(
                () -> Kafka.readAll(property("hub.dead-letter.topic"), Duration.ofSeconds(2)).stream()
                        .filter(r -> key.equals(r.key())).toList(),
                records -> records.size() == 2);

        ConsumerRecord<String, String> first = dead.get(0);
        assertEquals(malformed, first.value(), "the original bytes are kept");
        assertTrue(Kafka.header(first, DeadLetters.REASON).startsWith("malformed JSON"), Kafka.header(first, DeadLetters.REASON));
        assertEquals("poison", Kafka.header(first, DeadLetters.KIND));
        assertEquals(property("hub.pipe.topic"), Kafka.header(first, DeadLetters.SOURCE_TOPIC));
        assertEquals("pipe-kafka-to-sql-and-search", Kafka.header(first, DeadLetters.ROUTE));
        assertEquals("hub.errors.PoisonMessageException", Kafka.header(first, DeadLetters.EXCEPTION));
        assertNotNull(Kafka.header(first, DeadLetters.SOURCE_OFFSET));

        ConsumerRecord<String, String> second = dead.get(1);
        assertEquals(missingId, second.value());
        assertEquals("missing field: id (string or integer)", Kafka.header(second, DeadLetters.REASON));
        assertTrue(Database.query("SELECT * FROM pipe_messages WHERE payload LIKE ?", "%" + key + "%").isEmpty());
    }

    private static Map<String, Object> one(String id) throws Exception {
        List<Map<String, Object>> rows = Database.query("SELECT * FROM pipe_messages WHERE id = ?", id);
        return rows.isEmpty() ? null : rows.get(0);
    }
}
