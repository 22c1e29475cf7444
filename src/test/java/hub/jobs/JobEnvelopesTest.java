package hub.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Consumer;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import hub.errors.PoisonMessageException;
import org.junit.jupiter.api.Test;

class JobEnvelopesTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** A SerializesModels job: a ModelIdentifier, protected and private properties, Queueable's own. */
    private static final String SHIP_COMMAND =
            "O:18:\"App\\Jobs\\ShipOrder\":7:{s:5:\"order\";"
            + "O:45:\"Illuminate\\Contracts\\Database\\ModelIdentifier\":5:{s:5:\"class\";"
            + "s:16:\"App\\Models\\Order\";s:2:\"id\";i:1042;s:9:\"relations\";a:0:{}s:10:\"connection\";"
            + "s:5:\"mysql\";s:15:\"collectionClass\";N;}s:10:\"\0*\0carrier\";s:3:\"DHL\";"
            + "s:27:\"\0App\\Jobs\\ShipOrder\0attempt\";i:2;s:10:\"connection\";N;s:5:\"queue\";s:8:\"shipping\";"
            + "s:5:\"delay\";N;s:7:\"chained\";a:0:{}}";

    @Test
    void laravelPayloadAsTheQueueWritesIt() {
        JobEnvelope job = JobEnvelopes.parse(LaravelPayloads.PROCESS_ORDER_EVENT);

        assertEquals("9f1c2b7e-3d4a-4c8e-9b1f-2a6d5e7c8b90", job.id());
        assertEquals("ProcessOrderEvent", job.type());
        assertEquals(JobEnvelope.LARAVEL, job.format());
        assertEquals(3, job.maxTries());
        assertEquals(List.of(5, 10), job.backoffSeconds());
        assertEquals(30, job.timeoutSeconds());
        assertSame(LaravelPayloads.PROCESS_ORDER_EVENT, job.payload());
        assertEquals(json("{\"orderData\":{\"order_id\":1042,\"user_id\":7,\"total\":149.99,\"items\":["
                + "{\"sku\":\"SKU-1\",\"name\":\"Café crème\",\"qty\":2,\"price\":49.5},"
                + "{\"sku\":\"SKU-2\",\"name\":\"東京 mug 🍵\",\"qty\":1,\"price\":50.99}],"
                + "\"paid\":true,\"coupon\":null,\"note\":\"Zoë says: ship fast 🚚 / 速く\"}}"), job.data());
        assertTrue(job.data().at("/orderData/total").isDouble());
    }

    @Test
    void theFixtureCarriesTheSerializedCommandUnchanged() {
        assertEquals(LaravelPayloads.ORDER_COMMAND, json(LaravelPayloads.PROCESS_ORDER_EVENT).at("/data/command").asText());
    }

    @Test
    void serializesModelsJobKeepsEveryPropertyByBareName() {
        JobEnvelope job = JobEnvelopes.parse(laravel(p -> {
            p.withObjectProperty("data").put("commandName", "App\\Jobs\\ShipOrder").put("command", SHIP_COMMAND);
            p.put("displayName", "App\\Jobs\\ShipOrder");
        }));

        assertEquals("ShipOrder", job.type());
        assertEquals(json("{\"order\":{\"@class\":\"Illuminate\\\\Contracts\\\\Database\\\\ModelIdentifier\","
                + "\"class\":\"App\\\\Models\\\\Order\",\"id\":1042,\"relations\":[],\"connection\":\"mysql\","
                + "\"collectionClass\":null},\"carrier\":\"DHL\",\"attempt\":2,\"connection\":null,"
                + "\"queue\":\"shipping\",\"delay\":null,\"chained\":[]}"), job.data());
    }

    @Test
    void laravelOptionsMayBeNullOrNumbers() {
        String defaults = laravel(p -> p.putNull("maxTries").putNull("backoff").putNull("timeout"));
        JobEnvelope job = JobEnvelopes.parse(defaults);
        assertNull(job.maxTries());
        assertEquals(List.of(), job.backoffSeconds());
        assertNull(job.timeoutSeconds());

        assertEquals(List.of(7), JobEnvelopes.parse(laravel(p -> p.put("backoff", 7))).backoffSeconds());
        assertEquals(List.of(), JobEnvelopes.parse(laravel(p -> p.put("backoff", ""))).backoffSeconds());
        assertEquals(0, JobEnvelopes.parse(laravel(p -> p.put("maxTries", 0))).maxTries());
    }

    @Test
    void laravelIdAndTypeFallBacks() {
        assertEquals("QxV3sZ8kL2mN", JobEnvelopes.parse(laravel(p -> p.remove("uuid"))).id());
        assertEquals("ProcessOrderEvent",
                JobEnvelopes.parse(laravel(p -> p.withObjectProperty("data").remove("commandName"))).type());
        // a job may override displayName() with free text; commandName is still its class
        assertEquals("ProcessOrderEvent",
                JobEnvelopes.parse(laravel(p -> p.put("displayName", "Order 1042 / paid"))).type());
    }

    @Test
    void hubJob() {
        String payload = "{\"id\":\"job-1\",\"type\":\"send-invoice\",\"data\":{\"order_id\":1042},"
                + "\"max_tries\":5,\"backoff\":[1,5,30],\"timeout\":60}";
        JobEnvelope job = JobEnvelopes.parse(payload);

        assertEquals(new JobEnvelope("job-1", "send-invoice", json("{\"order_id\":1042}"), 5, List.of(1, 5, 30), 60,
                JobEnvelope.HUB, payload), job);
    }

    @Test
    void hubJobDefaults() {
        JobEnvelope job = JobEnvelopes.parse("{\"id\":42,\"type\":\"ping\",\"data\":{}}");

        assertEquals("42", job.id());
        assertNull(job.maxTries());
        assertEquals(List.of(), job.backoffSeconds());
        assertNull(job.timeoutSeconds());
        assertEquals(JobEnvelope.HUB, job.format());
        assertEquals(List.of(5, 10), hub("\"backoff\":\"5, 10\"").backoffSeconds());
        assertEquals(List.of(3), hub("\"backoff\":3").backoffSeconds());
    }

    @Test
    void unreadableJobsArePoison() {
        assertTrue(poison("{\"id\":").startsWith("malformed JSON: "));
        assertEquals("expected a JSON object", poison(null));
        assertEquals("expected a JSON object", poison("[1]"));
        assertEquals("missing field: id", poison("{\"type\":\"ping\",\"data\":{}}"));
        assertEquals("missing field: id", poison("{\"id\":\" \",\"type\":\"ping\",\"data\":{}}"));
        assertEquals("invalid field: id (string or integer expected)",
                poison("{\"id\":{},\"type\":\"ping\",\"data\":{}}"));
        assertEquals("missing field: type", poison("{\"id\":\"1\",\"data\":{}}"));
        assertEquals("missing field: data", poison("{\"id\":\"1\",\"type\":\"ping\"}"));
        assertEquals("invalid field: data (JSON object expected)",
                poison("{\"id\":\"1\",\"type\":\"ping\",\"data\":[]}"));
        assertEquals("invalid field: max_tries (non-negative integer expected)", hubPoison("\"max_tries\":-1"));
        assertEquals("invalid field: max_tries (non-negative integer expected)", hubPoison("\"max_tries\":\"3\""));
        assertEquals("invalid field: timeout (non-negative integer expected)", hubPoison("\"timeout\":1.5"));
        String badBackoff = "invalid field: backoff (non-negative whole seconds expected)";
        assertEquals(badBackoff, hubPoison("\"backoff\":\"5,x\""));
        assertEquals(badBackoff, hubPoison("\"backoff\":[1.5]"));
        assertEquals(badBackoff, hubPoison("\"backoff\":\"5,,10\""));
        assertEquals(badBackoff, hubPoison("\"backoff\":-5"));
    }

    @Test
    void unreadableLaravelJobsArePoison() {
        assertEquals("missing field: uuid", poison(laravel(p -> p.remove(List.of("uuid", "id")))));
        assertEquals("missing field: data.command",
                poison(laravel(p -> p.withObjectProperty("data").remove("command"))));
        assertEquals("missing field: data.commandName", poison(laravel(p -> {
            p.remove("displayName");
            p.withObjectProperty("data").remove("commandName");
        })));
        assertEquals("encrypted command (ShouldBeEncrypted) is not supported",
                poison(command("eyJpdiI6IkZ4bE5pQ2ZqT3RwK3c9PSIsInZhbHVlIjoi")));
        assertEquals("invalid PHP serialized command at byte 0: expected an object (O:)",
                poison(command("s:3:\"abc\";")));

        // the note's length counted in characters (26) instead of UTF-8 bytes (34)
        String wrongLength = LaravelPayloads.ORDER_COMMAND.replace("s:34:\"Zoë", "s:26:\"Zoë");
        int noteAt = LaravelPayloads.ORDER_COMMAND.substring(0, LaravelPayloads.ORDER_COMMAND.indexOf("Zoë says"))
                .getBytes(StandardCharsets.UTF_8).length;
        assertEquals("invalid PHP serialized command at byte " + (noteAt + 26)
                        + ": expected '\"' after 26 bytes: wrong string length",
                poison(command(wrongLength)));
    }

    /** The Laravel fixture with some fields changed. */
    private static String laravel(Consumer<ObjectNode> change) {
        ObjectNode payload = (ObjectNode) json(LaravelPayloads.PROCESS_ORDER_EVENT);
        change.accept(payload);
        return payload.toString();
    }

    private static String command(String command) {
        return laravel(p -> p.withObjectProperty("data").put("command", command));
    }

    private static JobEnvelope hub(String field) {
        return JobEnvelopes.parse("{\"id\":\"1\",\"type\":\"ping\",\"data\":{}," + field + "}");
    }

    private static String hubPoison(String field) {
        return assertThrows(PoisonMessageException.class, () -> hub(field)).getMessage();
    }

    private static String poison(String payload) {
        return assertThrows(PoisonMessageException.class, () -> JobEnvelopes.parse(payload)).getMessage();
    }

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
