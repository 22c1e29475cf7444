package hub.cdc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.List;

import javax.sql.DataSource;

/**
 * Applies changes to the warehouse, a poll per transaction: a history row per change and the current state of
 * each row. Idempotent on the source position: a change whose (table, key, position) is already in the history
 * changes nothing, so a replayed poll (after a crash, or the same events from Kafka Connect) is harmless.
 */
public class WarehouseSync {

    // One statement per change, batched in order: the history insert decides whether the current state moves.
    private static final String APPLY = """
            WITH h AS (
                INSERT INTO cdc_history (source_table, pk, op, before, after, source_position, source_ts, captured_ts)
                VALUES (?, ?, ?, ?::jsonb, ?::jsonb, ?, ?, ?)
                ON CONFLICT ON CONSTRAINT cdc_history_change DO NOTHING
                RETURNING op, after),
            removed AS (
                DELETE FROM cdc_current WHERE source_table = ? AND pk = ? AND EXISTS (SELECT 1 FROM h WHERE op = 'd'))
            INSERT INTO cdc_current (source_table, pk, row, source_position)
            SELECT ?, ?, after, ? FROM h WHERE op <> 'd'
            ON CONFLICT (source_table, pk) DO UPDATE
                SET row = EXCLUDED.row, source_position = EXCLUDED.source_position, updated_at = now()
            """;

    private final DataSource warehouse;

    public WarehouseSync(DataSource warehouse) {
        this.warehouse = warehouse;
    }

    public void apply(List<Change> changes) throws SQLException {
        if (changes.isEmpty()) {
            return;
        }
        try (Connection c = warehouse.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement st = c.prepareStatement(APPLY)) {
                for (Change change : changes) {
                    st.setString(1, change.table());
                    st.setString(2, change.key());
                    st.setString(3, change.op());
                    st.setString(4, change.before() == null ? null : change.before().toString());
                    st.setString(5, change.after() == null ? null : change.after().toString());
                    st.setString(6, change.position());
                    st.setTimestamp(7, new Timestamp(change.sourceTsMs()));
                    st.setTimestamp(8, new Timestamp(change.tsMs()));
                    st.setString(9, change.table());
                    st.setString(10, change.key());
                    st.setString(11, change.table());
                    st.setString(12, change.key());
                    st.setString(13, change.position());
                    st.addBatch();
                }
                st.executeBatch();
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw e;
            }
        }
    }
}
