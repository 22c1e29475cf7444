package hub.events;

import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;

import javax.sql.DataSource;

import hub.errors.PoisonMessageException;
import hub.kafka.KafkaBatches;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The orders projector: keeps {@code order_projection} (or a rebuild's shadow table) equal to the fold of each
 * order's events. It is idempotent and order-aware per aggregate: an event at or below the row's version is a
 * redelivery or older and changes nothing; an event beyond the next sequence is a gap, which is reported
 * (log, metric, status API) and parked in {@code projection_parked} until the missing event arrives.
 * A poll is applied with one read and one multi-row upsert, so replays run at database batch speed.
 */
public class OrderProjector {

    public static final String LIVE_TABLE = "order_projection";

    private static final Logger LOG = LoggerFactory.getLogger(OrderProjector.class);
    private static final int ROWS_PER_STATEMENT = 1000;
    private static final String COLUMNS = "uuid, user_id, status, total, currency, paid_at, shipped_at, version";

    /** What one batch did. */
    public record Outcome(int applied, int duplicates, int parked) {
    }

    /**
     * What a writer that has a table to itself (a rebuild filling its shadow table) knows about it, so that it
     * need not read the table back, and may write an order once for many of its events: the states it holds
     * (at most {@code maxOrders}; past that it writes them out, forgets them and reads the table again) and
     * the ones not written yet (written whenever {@code writeEvery} orders are waiting, and by
     * {@link #flush}).
     */
    public static final class Replay {
        private final int maxOrders;
        private final int writeEvery;
        private final Map<String, OrderState> states = new HashMap<>();
        private final Map<String, OrderState> unwritten = new HashMap<>();
        private boolean complete = true;
        private boolean parked;

        public Replay(int maxOrders, int writeEvery) {
            this.maxOrders = maxOrders;
            this.writeEvery = writeEvery;
        }
    }

    private final JdbcTemplate jdbc;
    private final OrderEvents events;
    private final ProducerTemplate deadLetters;
    private final String deadLetterEndpoint;
    private final Supplier<MeterRegistry> metrics;
    private final EventRate liveRate = new EventRate();

    public OrderProjector(DataSource dataSource, OrderEvents events, ProducerTemplate deadLetters,
            String deadLetterEndpoint, Supplier<MeterRegistry> metrics) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.events = events;
        this.deadLetters = deadLetters;
        this.deadLetterEndpoint = deadLetterEndpoint;
        this.metrics = metrics;
    }

    /** The live route's poll: invalid events go to the dead-letter topic, the rest into the live table. */
    public void projectBatch(List<Exchange> records) {
        List<OrderEvent> batch = new ArrayList<>(records.size());
        for (Exchange record : records) {
            try {
                batch.add(events.decode(record.getIn().getBody(String.class)));
            } catch (PoisonMessageException e) {
                KafkaBatches.deadLetter(deadLetters, deadLetterEndpoint, record, e);
            }
        }
        project(LIVE_TABLE, batch);
        liveRate.add(records.size());
    }

    /** Applies upcast events to {@code table}; safe to run concurrently with another writer of the same table. */
    public Outcome project(String table, List<OrderEvent> batch) {
        return project(table, batch, null);
    }

    /** As {@link #project(String, List)}; with a {@code replay}, the caller is the table's only writer. */
    public Outcome project(String table, List<OrderEvent> batch, Replay replay) {
        checkTable(table);
        if (batch.isEmpty()) {
            return new Outcome(0, 0, 0);
        }
        Map<String, TreeMap<Long, OrderEvent>> byOrder = new LinkedHashMap<>();
        for (OrderEvent event : batch) {
            byOrder.computeIfAbsent(event.aggregateUuid(), k -> new TreeMap<>()).putIfAbsent(event.sequence(), event);
        }
        Map<String, OrderState> rows;
        if (replay == null) {
            rows = load(table, byOrder.keySet());
        } else {
            rows = new HashMap<>();
            List<String> unknown = new ArrayList<>();
            for (String uuid : byOrder.keySet()) {
                OrderState known = replay.states.get(uuid);
                if (known != null) {
                    rows.put(uuid, known);
                } else if (!replay.complete) {
                    unknown.add(uuid);
                }
            }
            rows.putAll(load(table, unknown));
        }
        Set<String> wasParked = replay == null || replay.parked ? addParked(table, byOrder) : Set.of();

        List<OrderState> changed = new ArrayList<>();
        List<OrderEvent> park = new ArrayList<>();
        List<Object[]> unpark = new ArrayList<>();
        int applied = 0;
        int duplicates = 0;
        for (var order : byOrder.entrySet()) {
            OrderState state = rows.getOrDefault(order.getKey(), OrderState.none(order.getKey()));
            long before = state.version();
            for (OrderEvent event : order.getValue().values()) {
                String key = event.aggregateUuid() + "/" + event.sequence();
                if (event.sequence() == state.version() + 1) {
                    state = state.apply(event);
                    applied++;
                } else if (event.sequence() <= state.version()) {
                    duplicates++;
                } else if (!wasParked.contains(key)) {
                    park.add(event);
                    LOG.warn("{}: order {} is at sequence {}; event {} ({}) parked until the gap is filled",
                            table, event.aggregateUuid(), state.version(), event.sequence(), event.type());
                    continue;
                } else {
                    continue;
                }
                if (wasParked.contains(key)) {
                    unpark.add(new Object[] {table, event.aggregateUuid(), event.sequence()});
                }
            }
            if (state.version() > before) {
                changed.add(state);
            }
        }
        if (replay == null) {
            upsert(table, changed);
        } else {
            remember(table, replay, changed);
            replay.parked |= !park.isEmpty();
        }
        if (!park.isEmpty()) {
            jdbc.batchUpdate("INSERT IGNORE INTO projection_parked (projection, aggregate_uuid, sequence, event)"
                    + " VALUES (?, ?, ?, ?)", park.stream().map(e -> new Object[] {table, e.aggregateUuid(),
                            e.sequence(), e.toJson().toString()}).toList());
        }
        if (!unpark.isEmpty()) {
            jdbc.batchUpdate("DELETE FROM projection_parked WHERE projection = ? AND aggregate_uuid = ? AND sequence = ?",
                    unpark);
        }
        count(table, "applied", applied);
        count(table, "duplicate", duplicates);
        count(table, "parked", park.size());
        return new Outcome(applied, duplicates, park.size());
    }

    /** Writes what a replay holds back. */
    public void flush(String table, Replay replay) {
        upsert(table, new ArrayList<>(replay.unwritten.values()));
        replay.unwritten.clear();
    }

    private void remember(String table, Replay replay, List<OrderState> changed) {
        if (replay.states.size() + changed.size() > replay.maxOrders) {
            flush(table, replay);
            replay.states.clear();
            replay.complete = false;
        }
        changed.forEach(s -> {
            replay.states.put(s.uuid(), s);
            replay.unwritten.put(s.uuid(), s);
        });
        if (replay.unwritten.size() >= replay.writeEvery) {
            flush(table, replay);
        }
    }

    /** Events per second the live projector took over the last seconds. */
    public double liveEventsPerSecond() {
        return liveRate.perSecond();
    }

    /** Events waiting for an earlier one in {@code table}, and the orders they belong to (at most 20 named). */
    public Map<String, Object> gaps(String table) {
        checkTable(table);
        Map<String, Object> gaps = new LinkedHashMap<>();
        gaps.put("parked_events", jdbc.queryForObject("SELECT COUNT(*) FROM projection_parked WHERE projection = ?",
                Long.class, table));
        gaps.put("orders", jdbc.queryForList("SELECT DISTINCT aggregate_uuid FROM projection_parked WHERE projection = ?"
                + " ORDER BY aggregate_uuid LIMIT 20", String.class, table));
        return gaps;
    }

    private Map<String, OrderState> load(String table, Collection<String> uuids) {
        Map<String, OrderState> rows = new HashMap<>();
        for (List<String> chunk : chunks(new ArrayList<>(uuids))) {
            jdbc.query("SELECT " + COLUMNS + " FROM " + table + " WHERE uuid IN (" + marks(chunk.size(), "?") + ")",
                    rs -> {
                        rows.put(rs.getString(1), new OrderState(rs.getString(1), rs.getObject(2, Long.class), rs.getString(3),
                                rs.getBigDecimal(4), rs.getString(5), null, instant(rs.getTimestamp(6)),
                                instant(rs.getTimestamp(7)), null, null, null, rs.getLong(8)));
                    }, chunk.toArray());
        }
        return rows;
    }

    /** Adds the parked events of these orders to the batch; returns their keys. */
    private Set<String> addParked(String table, Map<String, TreeMap<Long, OrderEvent>> byOrder) {
        Set<String> keys = new HashSet<>();
        for (List<String> chunk : chunks(new ArrayList<>(byOrder.keySet()))) {
            List<Object> args = new ArrayList<>(chunk);
            args.add(0, table);
            jdbc.query("SELECT event FROM projection_parked WHERE projection = ? AND aggregate_uuid IN ("
                    + marks(chunk.size(), "?") + ")", rs -> {
                        OrderEvent event = events.decode(rs.getString(1));
                        byOrder.get(event.aggregateUuid()).putIfAbsent(event.sequence(), event);
                        keys.add(event.aggregateUuid() + "/" + event.sequence());
                    }, args.toArray());
        }
        return keys;
    }

    /** A multi-row upsert that only moves a row forward, so two writers (live and rebuild) cannot regress it. */
    private void upsert(String table, List<OrderState> states) {
        for (List<OrderState> chunk : chunks(states)) {
            List<Object> args = new ArrayList<>(chunk.size() * 8);
            for (OrderState s : chunk) {
                Collections.addAll(args, s.uuid(), s.userId(), s.status(), s.total(), s.currency(),
                        timestamp(s.paidAt()), timestamp(s.shippedAt()), s.version());
            }
            jdbc.update("INSERT INTO " + table + " (" + COLUMNS + ") VALUES " + marks(chunk.size(), "(?, ?, ?, ?, ?, ?, ?, ?)")
                    + " ON DUPLICATE KEY UPDATE"
                    + " user_id = IF(VALUES(version) > version, VALUES(user_id), user_id),"
                    + " status = IF(VALUES(version) > version, VALUES(status), status),"
                    + " total = IF(VALUES(version) > version, VALUES(total), total),"
                    + " currency = IF(VALUES(version) > version, VALUES(currency), currency),"
                    + " paid_at = IF(VALUES(version) > version, VALUES(paid_at), paid_at),"
                    + " shipped_at = IF(VALUES(version) > version, VALUES(shipped_at), shipped_at),"
                    // last, so that the conditions above compare with the row's old version
                    + " version = GREATEST(version, VALUES(version))", args.toArray());
        }
    }

    private void count(String table, String result, int n) {
        MeterRegistry registry = metrics.get();
        if (n > 0 && registry != null) {
            registry.counter("hub.projection.events", "projection", table, "result", result).increment(n);
        }
    }

    static void checkTable(String table) {
        if (!table.matches("[a-z_]{1,64}")) {
            throw new IllegalArgumentException("not a projection table: " + table);
        }
    }

    private static <T> List<List<T>> chunks(List<T> all) {
        List<List<T>> chunks = new ArrayList<>();
        for (int i = 0; i < all.size(); i += ROWS_PER_STATEMENT) {
            chunks.add(all.subList(i, Math.min(all.size(), i + ROWS_PER_STATEMENT)));
        }
        return chunks;
    }

    private static String marks(int n, String one) {
        return String.join(", ", Collections.nCopies(n, one));
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }

    private static Timestamp timestamp(Instant i) {
        return i == null ? null : Timestamp.from(i);
    }
}
