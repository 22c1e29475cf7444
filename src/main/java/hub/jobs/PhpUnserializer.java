package hub.jobs;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A strict decoder of PHP's {@code serialize()} format into Jackson trees; it never instantiates anything.
 * Declared lengths count UTF-8 bytes, so the input string is decoded as its UTF-8 bytes. Mapping:
 * <ul>
 *   <li>{@code N} null, {@code b} boolean, {@code i} integer (long range; PHP would turn a larger one into a
 *       float, here it is rejected), {@code d} double. JSON has no infinities or NaN, so {@code INF},
 *       {@code -INF} and {@code NAN} become the texts {@code "INF"}, {@code "-INF"} and {@code "NAN"}.</li>
 *   <li>{@code s} text. {@code E} (an enum case) the text {@code "Class:Case"}.</li>
 *   <li>{@code a} a JSON array when its keys are exactly 0..n-1 in order, otherwise an object keyed by the
 *       keys as text.</li>
 *   <li>{@code O} an object: {@code "@class"} plus every property. Protected ({@code \0*\0name}) and private
 *       ({@code \0Class\0name}) properties appear under their bare name; when names clash a public property
 *       wins, then the first one seen. A property named {@code @class} is rejected.</li>
 *   <li>{@code C} (a {@code Serializable}) {@code {"@class": ..., "@serialized": "<raw payload>"}}: the
 *       payload's format belongs to the class, so it is kept undecoded.</li>
 *   <li>{@code r}/{@code R} references resolve to a copy of the referenced value when it is a scalar.
 *       References to arrays or objects (possibly cycles) are rejected, as are references after a {@code C}
 *       value, whose undecoded contents shift PHP's numbering.</li>
 * </ul>
 * Anything else (unknown tags, wrong lengths or counts, duplicate keys, trailing bytes, nesting deeper than
 * {@value #MAX_DEPTH}) throws {@link Malformed}, which carries the byte offset.
 */
public final class PhpUnserializer {

    static final int MAX_DEPTH = 512;
    static final String CLASS = "@class";
    static final String SERIALIZED = "@serialized";

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final Pattern INTEGER = Pattern.compile("[+-]?[0-9]+");
    private static final Pattern LENGTH = Pattern.compile("[0-9]+");
    // PHP's own grammar for d: (var_unserializer.re), besides INF/-INF/NAN
    private static final Pattern FLOAT =
            Pattern.compile("[+-]?([0-9]+|[0-9]*\\.[0-9]+|[0-9]+\\.[0-9]*)([eE][+-]?[0-9]+)?");

    private final byte[] in;
    private int pos;
    private int depth;
    // PHP numbers every value but keys and R: from 1, for r:/R: to point at; arrays and objects are held as null
    private final List<JsonNode> slots = new ArrayList<>();
    private boolean afterCustom;

    private PhpUnserializer(byte[] in) {
        this.in = in;
    }

    /** Decodes one serialized value, which must span the whole input. */
    public static JsonNode unserialize(String serialized) {
        PhpUnserializer reader = new PhpUnserializer(serialized.getBytes(StandardCharsets.UTF_8));
        JsonNode value = reader.value();
        if (reader.pos != reader.in.length) {
            throw new Malformed(reader.pos, "trailing data after the value");
        }
        return value;
    }

    private JsonNode value() {
        int start = pos;
        byte tag = next();
        return switch (tag) {
            case 'N' -> {
                expect(';');
                yield numbered(NODES.nullNode());
            }
            case 'b' -> numbered(bool());
            case 'i' -> numbered(integer());
            case 'd' -> numbered(floating());
            case 's' -> numbered(NODES.textNode(string()));
            case 'E' -> numbered(enumCase(start));
            case 'r' -> numbered(reference(start));
            case 'R' -> reference(start);
            case 'a' -> array();
            case 'O' -> object();
            case 'C' -> custom();
            default -> throw new Malformed(start, "unknown type '" + (char) (tag & 0xff) + "'");
        };
    }

    private JsonNode numbered(JsonNode scalar) {
        slots.add(scalar);
        return scalar;
    }

    private JsonNode bool() {
        expect(':');
        int at = pos;
        String token = token(';');
        return switch (token) {
            case "0" -> NODES.booleanNode(false);
            case "1" -> NODES.booleanNode(true);
            default -> throw new Malformed(at, "expected boolean 0 or 1");
        };
    }

    private JsonNode integer() {
        expect(':');
        int at = pos;
        String token = token(';');
        if (!INTEGER.matcher(token).matches()) {
            throw new Malformed(at, "expected an integer");
        }
        try {
            long value = Long.parseLong(token);
            return value == (int) value ? NODES.numberNode((int) value) : NODES.numberNode(value);
        } catch (NumberFormatException e) {
            throw new Malformed(at, "integer out of range");
        }
    }

    private JsonNode floating() {
        expect(':');
        int at = pos;
        String token = token(';');
        if (token.equals("INF") || token.equals("-INF") || token.equals("NAN")) {
            return NODES.textNode(token);
        }
        if (!FLOAT.matcher(token).matches()) {
            throw new Malformed(at, "expected a float");
        }
        double value = Double.parseDouble(token);
        if (Double.isInfinite(value)) {
            return NODES.textNode(value > 0 ? "INF" : "-INF");
        }
        return NODES.numberNode(value);
    }

    /** {@code s:<bytes>:"...";} after the tag. */
    private String string() {
        expect(':');
        String value = quoted(length(':'));
        expect(';');
        return value;
    }

    private JsonNode enumCase(int start) {
        String value = string();
        int colon = value.indexOf(':');
        if (colon < 0 || !isClassName(value.substring(0, colon)) || colon == value.length() - 1) {
            throw new Malformed(start, "expected an enum case as Class:Case");
        }
        return NODES.textNode(value);
    }

    private JsonNode reference(int at) {
        expect(':');
        int id = length(';');
        if (afterCustom) {
            throw new Malformed(at, "reference after a C: value cannot be resolved");
        }
        if (id < 1 || id > slots.size()) {
            throw new Malformed(at, "reference to unknown value " + id);
        }
        JsonNode target = slots.get(id - 1);
        if (target == null) {
            throw new Malformed(at, "reference to an array or object is not supported");
        }
        return target;
    }

    private JsonNode array() {
        slots.add(null);
        expect(':');
        int count = length(':');
        expect('{');
        enter();
        Map<String, JsonNode> entries = new LinkedHashMap<>();
        boolean list = true;
        for (int i = 0; i < count; i++) {
            int at = pos;
            JsonNode key = key();
            String name = key.asText();
            if (entries.containsKey(name)) {
                throw new Malformed(at, "duplicate key '" + name + "'");
            }
            list &= key.isIntegralNumber() && key.longValue() == i;
            entries.put(name, value());
        }
        close(count);
        return list ? NODES.arrayNode().addAll(entries.values()) : NODES.objectNode().setAll(entries);
    }

    private JsonNode object() {
        slots.add(null);
        expect(':');
        String className = className();
        expect(':');
        int count = length(':');
        expect('{');
        enter();
        ObjectNode object = NODES.objectNode().put(CLASS, className);
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < count; i++) {
            int at = pos;
            String raw = key().asText();
            String name = bareName(raw, at);
            if (name.equals(CLASS)) {
                throw new Malformed(at, "property name '" + CLASS + "' is reserved");
            }
            if (!seen.add(raw)) {
                throw new Malformed(at, "duplicate property '" + name + "'");
            }
            JsonNode value = value();
            if (name.equals(raw) || !object.has(name)) {
                object.set(name, value);
            }
        }
        close(count);
        return object;
    }

    /** {@code C:<len>:"Class":<bytes>:{<payload>}} after the tag. */
    private JsonNode custom() {
        slots.add(null);
        afterCustom = true;
        expect(':');
        String className = className();
        expect(':');
        int length = length(':');
        expect('{');
        String payload = utf8(length);
        expect('}');
        return NODES.objectNode().put(CLASS, className).put(SERIALIZED, payload);
    }

    private JsonNode key() {
        int at = pos;
        byte tag = next();
        if (tag == 'i') {
            return integer();
        }
        if (tag == 's') {
            return NODES.textNode(string());
        }
        throw new Malformed(at, "expected an integer or string key");
    }

    /** Property names of protected and private members carry a {@code \0*\0} or {@code \0Class\0} prefix. */
    private static String bareName(String raw, int at) {
        if (raw.isEmpty() || raw.charAt(0) != '\0') {
            return raw;
        }
        int end = raw.indexOf('\0', 1);
        if (end < 2) {
            throw new Malformed(at, "malformed protected or private property name");
        }
        return raw.substring(end + 1);
    }

    private String className() {
        int at = pos;
        String name = quoted(length(':'));
        if (!isClassName(name)) {
            throw new Malformed(at, "invalid class name");
        }
        return name;
    }

    // the characters PHP itself accepts in a class name when unserializing
    private static boolean isClassName(String name) {
        if (name.isEmpty()) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean ok = c >= 0x80 || c == '_' || c == '\\'
                    || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /** {@code "<bytes>"}: the declared length, not the quotes, decides where the text ends. */
    private String quoted(int length) {
        expect('"');
        String value = utf8(length);
        if (pos >= in.length || in[pos] != '"') {
            throw new Malformed(pos, "expected '\"' after " + length + " bytes: wrong string length");
        }
        pos++;
        return value;
    }

    private String utf8(int length) {
        if (length > in.length - pos) {
            throw new Malformed(pos, "length " + length + " runs past the end of input");
        }
        try {
            String value = StandardCharsets.UTF_8.newDecoder()
                    .decode(ByteBuffer.wrap(in, pos, length)).toString();
            pos += length;
            return value;
        } catch (CharacterCodingException e) {
            throw new Malformed(pos, "length " + length + " does not end on a UTF-8 character boundary");
        }
    }

    /** A non-negative decimal count or length, followed by {@code end}. */
    private int length(char end) {
        int at = pos;
        String token = token(end);
        if (!LENGTH.matcher(token).matches()) {
            throw new Malformed(at, "expected a non-negative integer");
        }
        try {
            return Integer.parseInt(token);
        } catch (NumberFormatException e) {
            throw new Malformed(at, "number out of range");
        }
    }

    /** The ASCII text up to {@code end}, consuming {@code end}. */
    private String token(char end) {
        int from = pos;
        while (pos < in.length && in[pos] != end) {
            pos++;
        }
        if (pos == in.length) {
            throw new Malformed(pos, "unexpected end of input, expected '" + end + "'");
        }
        return new String(in, from, pos++ - from, StandardCharsets.ISO_8859_1);
    }

    private void enter() {
        if (++depth > MAX_DEPTH) {
            throw new Malformed(pos, "nesting deeper than " + MAX_DEPTH);
        }
    }

    private void close(int count) {
        if (pos >= in.length || in[pos] != '}') {
            throw new Malformed(pos, "expected '}' after " + count + " elements");
        }
        pos++;
        depth--;
    }

    private byte next() {
        if (pos >= in.length) {
            throw new Malformed(pos, "unexpected end of input");
        }
        return in[pos++];
    }

    private void expect(char c) {
        int at = pos;
        if (next() != c) {
            throw new Malformed(at, "expected '" + c + "'");
        }
    }

    /** Input that is not valid serialized PHP; {@link #offset()} is the byte where decoding stopped. */
    public static final class Malformed extends IllegalArgumentException {

        private final int offset;
        private final String reason;

        Malformed(int offset, String reason) {
            super("at byte " + offset + ": " + reason);
            this.offset = offset;
            this.reason = reason;
        }

        public int offset() {
            return offset;
        }

        public String reason() {
            return reason;
        }
    }
}
