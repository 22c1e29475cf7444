package hub.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import hub.jobs.PhpUnserializer.Malformed;
import org.junit.jupiter.api.Test;

/**
 * Fixtures are byte for byte what PHP 7.1+ {@code serialize()} writes (serialize_precision -1); every length
 * was checked against the UTF-8 encoding.
 */
class PhpUnserializerTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void scalars() {
        assertTrue(php("N;").isNull());
        assertEquals(json("true"), php("b:1;"));
        assertEquals(json("false"), php("b:0;"));
        assertEquals(json("1042"), php("i:1042;"));
        assertEquals(json("-17"), php("i:-17;"));
        assertEquals(json("[9223372036854775807,-9223372036854775808]"),
                php("a:2:{i:0;i:9223372036854775807;i:1;i:-9223372036854775808;}"));
    }

    @Test
    void floatsAsPhpWritesThem() {
        assertEquals(0.1, php("d:0.1;").doubleValue());
        assertEquals(12.5, php("d:12.5;").doubleValue());
        assertEquals(1.0E25, php("d:1.0E+25;").doubleValue());
        assertEquals(1.0E-5, php("d:1.0E-5;").doubleValue());
        assertEquals(-0.5, php("d:-0.5;").doubleValue());
        assertEquals(-0.0, php("d:-0;").doubleValue());
        // PHP drops ".0" from whole floats; they stay floats
        JsonNode whole = php("d:42;");
        assertTrue(whole.isDouble());
        assertEquals(42.0, whole.doubleValue());
    }

    @Test
    void infinitiesAndNanBecomeText() {
        assertEquals(json("\"INF\""), php("d:INF;"));
        assertEquals(json("\"-INF\""), php("d:-INF;"));
        assertEquals(json("\"NAN\""), php("d:NAN;"));
        assertEquals(json("\"INF\""), php("d:1.0E+999;"));
    }

    @Test
    void stringLengthsCountUtf8Bytes() {
        assertEquals("", php("s:0:\"\";").asText());
        assertEquals("Zoë", php("s:4:\"Zoë\";").asText());
        assertEquals("Zoë!!", php("s:6:\"Zoë!!\";").asText());
        assertEquals("🚚", php("s:4:\"🚚\";").asText());
        assertEquals("東京", php("s:6:\"東京\";").asText());
        assertEquals("naïve café — 東京 🚚", php("s:28:\"naïve café — 東京 🚚\";").asText());
        // the length, not the quotes, says where a string ends
        assertEquals("say \"hi\"; a:1:{}", php("s:16:\"say \"hi\"; a:1:{}\";").asText());
    }

    @Test
    void characterCountsInsteadOfByteCountsAreRejected() {
        Malformed splitsCharacter = malformed("s:3:\"Zoë\";");
        assertEquals(5, splitsCharacter.offset());
        assertEquals("length 3 does not end on a UTF-8 character boundary", splitsCharacter.reason());

        Malformed tooLong = malformed("s:5:\"Zoë\";");
        assertEquals(10, tooLong.offset());
        assertEquals("expected '\"' after 5 bytes: wrong string length", tooLong.reason());
    }

    @Test
    void arraysWithKeysZeroToNBecomeLists() {
        assertEquals(json("[1,-2,null,true,false,\"x\",[],{\"a\":[1,{\"b\":null}]}]"),
                php("a:8:{i:0;i:1;i:1;i:-2;i:2;N;i:3;b:1;i:4;b:0;i:5;s:1:\"x\";i:6;a:0:{}i:7;a:1:{s:1:\"a\";"
                        + "a:2:{i:0;i:1;i:1;a:1:{s:1:\"b\";N;}}}}"));
    }

    @Test
    void otherArraysBecomeObjectsKeyedByText() {
        assertEquals(json("{\"1\":\"a\",\"0\":\"b\"}"), php("a:2:{i:1;s:1:\"a\";i:0;s:1:\"b\";}"));
        assertEquals(json("{\"0\":\"a\",\"2\":\"b\"}"), php("a:2:{i:0;s:1:\"a\";i:2;s:1:\"b\";}"));
        assertEquals(json("{\"0\":\"a\",\"k\":\"b\",\"1\":\"c\"}"),
                php("a:3:{i:0;s:1:\"a\";s:1:\"k\";s:1:\"b\";i:1;s:1:\"c\";}"));
        assertEquals(json("{\"-1\":\"neg\"}"), php("a:1:{i:-1;s:3:\"neg\";}"));
    }

    @Test
    void objectsExposeEveryPropertyByItsBareName() {
        // public id, protected status, private secret, a parent's private id (the public one wins), protected x
        JsonNode order = php("O:9:\"App\\Order\":5:{s:2:\"id\";i:7;s:9:\"\0*\0status\";s:4:\"paid\";"
                + "s:17:\"\0App\\Order\0secret\";s:3:\"xyz\";s:13:\"\0App\\Model\0id\";i:99;s:4:\"\0*\0x\";N;}");
        assertEquals(json("{\"@class\":\"App\\\\Order\",\"id\":7,\"status\":\"paid\",\"secret\":\"xyz\",\"x\":null}"),
                order);
        assertEquals(json("{\"@class\":\"stdClass\"}"), php("O:8:\"stdClass\":0:{}"));
    }

    @Test
    void customSerializedObjectsKeepTheirPayload() {
        assertEquals(json("{\"@class\":\"ArrayObject\",\"@serialized\":\"x:i:0;a:0:{};m:a:0:{}\"}"),
                php("C:11:\"ArrayObject\":21:{x:i:0;a:0:{};m:a:0:{}}"));
    }

    @Test
    void enumCasesBecomeText() {
        assertEquals(json("\"App\\\\Enums\\\\OrderStatus:Paid\""), php("E:26:\"App\\Enums\\OrderStatus:Paid\";"));
        assertEquals("expected an enum case as Class:Case", malformed("E:4:\"Paid\";").reason());
    }

    @Test
    void referencesToScalarsResolve() {
        // $x = 'abc'; serialize([&$x, &$x])
        assertEquals(json("[\"abc\",\"abc\"]"), php("a:2:{i:0;s:3:\"abc\";i:1;R:2;}"));
        // 1 = outer array, 2 = inner array, 3 = 5, 4 = "x"; keys are not numbered
        assertEquals(json("[[5],\"x\",\"x\",5]"), php("a:4:{i:0;a:1:{i:0;i:5;}i:1;s:1:\"x\";i:2;R:4;i:3;r:3;}"));
    }

    @Test
    void unresolvableReferencesAreRejected() {
        assertEquals("reference to an array or object is not supported",
                malformed("a:2:{i:0;O:8:\"stdClass\":0:{}i:1;r:2;}").reason());
        assertEquals("reference to an array or object is not supported", malformed("a:1:{i:0;R:1;}").reason());
        // R: takes no number of its own, so there is no value 3
        assertEquals("reference to unknown value 3", malformed("a:3:{i:0;s:1:\"x\";i:1;R:2;i:2;r:3;}").reason());
        assertEquals("reference after a C: value cannot be resolved",
                malformed("a:2:{i:0;C:11:\"ArrayObject\":21:{x:i:0;a:0:{};m:a:0:{}}i:1;R:1;}").reason());
    }

    @Test
    void nestingIsLimitedTo512() {
        assertEquals(1, php(nested(512)).size());
        Malformed tooDeep = malformed(nested(513));
        assertEquals("nesting deeper than 512", tooDeep.reason());
        assertEquals(512 * "a:1:{i:0;".length() + "a:1:{".length(), tooDeep.offset());
    }

    @Test
    void malformedInputIsRejectedWithItsByteOffset() {
        assertMalformed("", 0, "unexpected end of input");
        assertMalformed("N", 1, "unexpected end of input");
        assertMalformed("N;x", 2, "trailing data after the value");
        assertMalformed("x:1;", 0, "unknown type 'x'");
        assertMalformed("i:12", 4, "unexpected end of input, expected ';'");
        assertMalformed("i:1.5;", 2, "expected an integer");
        assertMalformed("i:9223372036854775808;", 2, "integer out of range");
        assertMalformed("b:2;", 2, "expected boolean 0 or 1");
        assertMalformed("d:1e;", 2, "expected a float");
        assertMalformed("s:-1:\"\";", 2, "expected a non-negative integer");
        assertMalformed("s:10:\"abc\";", 6, "length 10 runs past the end of input");
        assertMalformed("s:2:\"abc\";", 7, "expected '\"' after 2 bytes: wrong string length");
        assertMalformed("s:3:\"abc\"", 9, "unexpected end of input");
        assertMalformed("a:2:{i:0;N;}", 11, "expected an integer or string key");
        assertMalformed("a:1:{i:0;N;i:1;N;}", 11, "expected '}' after 1 elements");
        assertMalformed("a:1:{i:0;N;", 11, "expected '}' after 1 elements");
        assertMalformed("a:2:{i:0;N;i:0;N;}", 11, "duplicate key '0'");
        assertMalformed("a:1:{d:0.5;N;}", 5, "expected an integer or string key");
        assertMalformed("O:0:\"\":0:{}", 2, "invalid class name");
        assertMalformed("O:9:\"std-class\":0:{}", 2, "invalid class name");
        assertMalformed("O:8:\"stdClass\":1:{s:2:\"\0x\";N;}", 18, "malformed protected or private property name");
        assertMalformed("O:8:\"stdClass\":2:{s:1:\"a\";N;s:1:\"a\";N;}", 28, "duplicate property 'a'");
        assertMalformed("O:8:\"stdClass\":1:{s:6:\"@class\";N;}", 18, "property name '@class' is reserved");
        // a Zoë written with 3 as its length: the multibyte ë is cut
        assertMalformed("a:1:{s:4:\"name\";s:3:\"Zoë\";}", 21,
                "length 3 does not end on a UTF-8 character boundary");
    }

    private static String nested(int depth) {
        return "a:1:{i:0;".repeat(depth) + "N;" + "}".repeat(depth);
    }

    private static void assertMalformed(String input, int offset, String reason) {
        Malformed e = malformed(input);
        assertEquals(reason, e.reason(), input);
        assertEquals(offset, e.offset(), input);
        assertEquals("at byte " + offset + ": " + reason, e.getMessage());
    }

    private static Malformed malformed(String input) {
        return assertThrows(Malformed.class, () -> php(input));
    }

    private static JsonNode php(String serialized) {
        return PhpUnserializer.unserialize(serialized);
    }

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
