package hub.events;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import hub.api.ApiException;
import hub.errors.PoisonMessageException;
import hub.kafka.KafkaBatches;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The event store: {@code order_events} holds every event once, under the unique key
 * {@code (aggregate_uuid, sequence)}. Appends through the API take the next sequence only if the writer saw
 * the one before it (optimistic concurrency: the loser of a race hits the unique key and gets 409), and write
 * an outbox row in the same transaction for the relay to publish. Events that other applications publish on
 * the topic directly are recorded from it, so history and state cover both.
 */
public class EventStore {

    /** What a state read found: the state, the snapshot it started from and how many events it replayed. */
    public record StateRead(OrderState state, long snapshotSequence, int replayedEvents) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String EVENT_COLUMNS = "aggregate_uuid, sequence, type, event_version, data, occurred_at";

    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final OrderEvents events;
    private final int snapshotEvery;
    private final ProducerTemplate deadLetters;
    private final String deadLetterEndpoint;

    public EventStore(DataSource dataSource, OrderEvents events, int snapshotEvery, ProducerTemplate deadLetters,
            String deadLetterEndpoint) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.tx = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
        this.events = events;
        this.snapshotEvery = snapshotEvery;
        this.deadLetters = deadLetters;
        this.deadLetterEndpoint = deadLetterEndpoint;
    }

    /**
     * Appends the event after {@code expectedSequence}; 409 if the aggregate is elsewhere or the event may not
     * follow its state, 400 if the event is invalid. Returns the stored event.
     */
    public OrderEvent append(String uuid, long expectedSequence, String type, int eventVersion, ObjectNode data) {
        ObjectNode wire = new OrderEvent(type, uuid, eventVersion, expectedSequence + 1, data,
                Instant.now().truncatedTo(ChronoUnit.MICROS)).toJson();
        OrderEvent event = events.validate(wire);
        try {
            return tx.execute(status -> {
                long current = jdbc.queryForObject(
                        "SELECT COALESCE(MAX(sequence), 0) FROM order_events WHERE aggregate_uuid = ?", Long.class, uuid);
                if (current != expectedSequence) {
                    throw conflict(uuid, expectedSequence, current);
                }
                String refusal = state(uuid, null).state().refusal(type);
                if (refusal != null) {
                    throw new ApiException(409, refusal);
                }
                jdbc.update("INSERT INTO order_events (" + EVENT_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?)",
                        uuid, event.sequence(), type, eventVersion, data.toString(), Timestamp.from(event.timestamp()));
                jdbc.update("INSERT INTO order_event_outbox (position, aggregate_uuid, event_type, payload)"
                        + " VALUES (LAST_INSERT_ID(), ?, ?, ?)", uuid, type, wire.toString());
                return event;
            });
        } catch (DuplicateKeyException e) {
            // another writer took this sequence between our read and our insert
            throw conflict(uuid, expectedSequence, expectedSequence + 1);
        }
    }

    /**
     * Records a poll of {@code order-events} (idempotent: an event already stored, e.g. appended through the API,
     * is skipped) and takes the snapshots the new events call for. Invalid events go to the dead-letter topic.
     */
    public void record(List<Exchange> records) {
        List<Object[]> rows = new ArrayList<>();
        Map<String, long[]> touched = new LinkedHashMap<>();
        for (Exchange record : records) {
            OrderEvent event;
            try {
                event = events.validate(hub.errors.JsonInput.object(record.getIn().getBody(String.class)));
            } catch (PoisonMessageException e) {
                KafkaBatches.deadLetter(deadLetters, deadLetterEndpoint, record, e);
                continue;
            }
            rows.add(new Object[] {event.aggregateUuid(), event.sequence(), event.type(), event.eventVersion(),
                    event.data().toString(), Timestamp.from(event.timestamp())});
            long[] range = touched.computeIfAbsent(event.aggregateUuid(), k -> new long[] {Long.MAX_VALUE, 0});
            range[0] = Math.min(range[0], event.sequence());
            range[1] = Math.max(range[1], event.sequence());
        }
        if (!rows.isEmpty()) {
            StringBuilder sql = new StringBuilder("INSERT IGNORE INTO order_events (" + EVENT_COLUMNS + ") VALUES ");
            sql.append(String.join(", ", Collections.nCopies(rows.size(), "(?, ?, ?, ?, ?, ?)")));
            jdbc.update(sql.toString(), rows.stream().flatMap(java.util.Arrays::stream).toArray());
        }
        touched.forEach((uuid, range) -> {
            long due = range[1] / snapshotEvery * snapshotEvery;
            if (due >= range[0] && due > 0) {
                snapshot(uuid, due);
            }
        });
    }

    /** The aggregate's events in sequence order, as they were written. */
    public List<ObjectNode> history(String uuid) {
        List<ObjectNode> history = new ArrayList<>();
        jdbc.queryForList("SELECT position, " + EVENT_COLUMNS + " FROM order_events WHERE aggregate_uuid = ?"
                + " ORDER BY sequence", uuid).forEach(row -> {
                    ObjectNode event = OrderEvents.stored(row).toJson();
                    event.put("position", ((Number) row.get("position")).longValue());
                    history.add(event);
                });
        return history;
    }

    /**
     * The state now, or as it was at {@code asOf} (events whose timestamp is after it are not applied), from
     * the latest snapshot at or before that point plus the events since. Stops before a gap in the sequence.
     */
    public StateRead state(String uuid, Instant asOf) {
        return state(uuid, asOf, Long.MAX_VALUE);
    }

    private StateRead state(String uuid, Instant asOf, long upTo) {
        List<Map<String, Object>> snapshots = asOf == null
                ? jdbc.queryForList("SELECT sequence, state FROM order_snapshots WHERE aggregate_uuid = ?"
                        + " ORDER BY sequence DESC LIMIT 1", uuid)
                : jdbc.queryForList("SELECT sequence, state FROM order_snapshots WHERE aggregate_uuid = ?"
                        + " AND occurred_at <= ? ORDER BY sequence DESC LIMIT 1", uuid, Timestamp.from(asOf));
        OrderState state = OrderState.none(uuid);
        long from = 0;
        if (!snapshots.isEmpty()) {
            state = readState((String) snapshots.get(0).get("state"));
            from = state.version();
        }
        int replayed = 0;
        for (Map<String, Object> row : jdbc.queryForList("SELECT " + EVENT_COLUMNS + " FROM order_events"
                + " WHERE aggregate_uuid = ? AND sequence > ? AND sequence <= ? ORDER BY sequence", uuid, from, upTo)) {
            OrderEvent event = events.fromRow(row);
            if (event.sequence() != state.version() + 1 || asOf != null && event.timestamp().isAfter(asOf)) {
                break;
            }
            state = state.apply(event);
            replayed++;
        }
        return new StateRead(state, from, replayed);
    }

    private void snapshot(String uuid, long sequence) {
        OrderState state = state(uuid, null, sequence).state();
        // short of the sequence means a gap before it: no snapshot until it is filled
        if (state.version() == sequence) {
            jdbc.update("INSERT IGNORE INTO order_snapshots (aggregate_uuid, sequence, state, occurred_at)"
                    + " VALUES (?, ?, ?, ?)", uuid, sequence, state.toJson().toString(), Timestamp.from(state.updatedAt()));
        }
    }

    private static OrderState readState(String json) {
        try {
            return OrderState.fromJson(JSON.readTree(json));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable snapshot", e);
        }
    }

    private static ApiException conflict(String uuid, long expected, long current) {
        return new ApiException(409, "order " + uuid + " is at sequence " + current + ", not " + expected
                + "; read its history and retry");
    }
}
