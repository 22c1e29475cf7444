package hub.events;

import java.time.DateTimeException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import hub.api.ApiErrors;
import hub.api.ApiException;
import hub.api.ValidationException;
import hub.api.ValidationException.FieldError;
import hub.errors.JsonInput;
import hub.kafka.ConsumerLag;
import org.apache.camel.Exchange;

/** {@code /api/aggregates/orders/...} and {@code /api/projections/...}: HTTP in and out of the event store. */
public class EventsApi {

    private final EventStore store;
    private final OrderProjector projector;
    private final ProjectionRebuild rebuild;
    private final ConsumerLag positions;
    private final String topic;
    private final String projectorGroup;

    public EventsApi(EventStore store, OrderProjector projector, ProjectionRebuild rebuild, ConsumerLag positions,
            String topic, String projectorGroup) {
        this.store = store;
        this.projector = projector;
        this.rebuild = rebuild;
        this.positions = positions;
        this.topic = topic;
        this.projectorGroup = projectorGroup;
    }

    /** {@code {"expected_sequence": N, "type", "data", "event_version"?}} → 201 with the stored event. */
    public void append(Exchange exchange) throws Exception {
        ObjectNode body = JsonInput.object(exchange.getIn().getBody(String.class));
        List<FieldError> errors = new ArrayList<>();
        JsonNode expected = body.path("expected_sequence");
        if (!expected.canConvertToLong() || !expected.isIntegralNumber() || expected.asLong() < 0) {
            errors.add(new FieldError("expected_sequence", "the sequence you last saw (0 for a new order) is required"));
        }
        if (!body.path("type").isTextual() || !Upcasters.CURRENT.containsKey(body.get("type").asText())) {
            errors.add(new FieldError("type", "one of " + Upcasters.CURRENT.keySet() + " is required"));
        }
        if (!body.path("data").isObject()) {
            errors.add(new FieldError("data", "an object is required"));
        }
        JsonNode version = body.path("event_version");
        if (!version.isMissingNode() && !version.isInt()) {
            errors.add(new FieldError("event_version", "an integer is required"));
        }
        if (!errors.isEmpty()) {
            throw new ValidationException("event", errors);
        }
        String type = body.get("type").asText();
        int eventVersion = version.isInt() ? version.asInt() : Upcasters.CURRENT.get(type);
        OrderEvent event = store.append(uuid(exchange), expected.asLong(), type, eventVersion, (ObjectNode) body.get("data"));
        ApiErrors.respond(exchange, 201, event.toJson());
    }

    public void history(Exchange exchange) throws Exception {
        String uuid = uuid(exchange);
        List<ObjectNode> events = store.history(uuid);
        if (events.isEmpty()) {
            throw ApiException.notFound("no events for order " + uuid);
        }
        ApiErrors.respond(exchange, 200, Map.of("aggregate_uuid", uuid, "events", events));
    }

    /** The order's state now, or {@code ?asOf=<ISO-8601>} as it was then. */
    public void state(Exchange exchange) throws Exception {
        String uuid = uuid(exchange);
        String asOfText = exchange.getIn().getHeader("asOf", String.class);
        Instant asOf = null;
        if (asOfText != null && !asOfText.isBlank()) {
            try {
                asOf = EventSchemas.timestamp(asOfText.trim());
            } catch (DateTimeException e) {
                throw new ApiException(400, "asOf must be an ISO-8601 date-time, e.g. 2026-11-29T12:00:00Z");
            }
        }
        EventStore.StateRead read = store.state(uuid, asOf);
        if (read.state().version() == 0) {
            throw ApiException.notFound("no order " + uuid + (asOf == null ? "" : " as of " + asOf));
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("aggregate_uuid", uuid);
        answer.put("as_of", asOf == null ? null : asOf.toString());
        answer.put("version", read.state().version());
        answer.put("state", read.state().toJson());
        answer.put("snapshot_sequence", read.snapshotSequence());
        answer.put("replayed_events", read.replayedEvents());
        ApiErrors.respond(exchange, 200, answer);
    }

    public void rebuild(Exchange exchange) throws Exception {
        projection(exchange);
        ApiErrors.respond(exchange, 202, rebuild.start());
    }

    /** Status, position, lag and events/s of the live projector and of the last rebuild. */
    public void status(Exchange exchange) throws Exception {
        String name = projection(exchange);
        Map<String, Object> live = new LinkedHashMap<>(positions.of(projectorGroup, topic));
        live.put("events_per_second", Math.round(projector.liveEventsPerSecond()));
        live.put("gaps", projector.gaps(name));
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("projection", name);
        answer.put("status", rebuild.running() ? "rebuilding" : "live");
        answer.put("live", live);
        answer.put("rebuild", rebuild.status());
        ApiErrors.respond(exchange, 200, answer);
    }

    private static String projection(Exchange exchange) {
        String name = exchange.getIn().getHeader("name", String.class);
        if (!OrderProjector.LIVE_TABLE.equals(name)) {
            throw ApiException.notFound("no projection " + name + "; there is " + OrderProjector.LIVE_TABLE);
        }
        return name;
    }

    private static String uuid(Exchange exchange) {
        String uuid = exchange.getIn().getHeader("uuid", String.class);
        if (uuid == null || !uuid.matches("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")) {
            throw new ApiException(400, "order uuid expected, got " + uuid);
        }
        return uuid.toLowerCase();
    }
}
