package org.autopilotbridge.ledger;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Map;

import org.autopilotbridge.graph.SpendWindow;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * The spend window and the Retry-After hold that all instances on one PostgreSQL ledger share, since Graph throttles
 * per app and tenant. Times are the database's, so the instances' clocks do not matter, and the row of
 * graph_throttle is locked while a call is admitted, so the instances' calls are admitted one at a time.
 */
@Component
@ConditionalOnExpression("'${spring.datasource.url:}' != ''")
public class SharedSpendWindow implements SpendWindow {

    /** As {@code GraphGate.WINDOW}: a second longer than Graph's 20 seconds. */
    private static final String WINDOW = "INTERVAL '21 seconds'";
    private static final String IN_WINDOW = "FROM graph_spend WHERE spent_at > CURRENT_TIMESTAMP - " + WINDOW;

    private final JdbcTemplate jdbc;

    SharedSpendWindow(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public Spent spent() {
        Map<String, Object> row = jdbc.queryForMap("SELECT t.hold_until, (SELECT COALESCE(SUM(requests), 0) " + IN_WINDOW
                + ") AS requests, (SELECT COALESCE(SUM(writes), 0) " + IN_WINDOW + ") AS writes, (SELECT MIN(spent_at) + "
                + WINDOW + " " + IN_WINDOW + ") AS window_moves FROM graph_throttle t WHERE t.id = 1");
        return new Spent(((Number) row.get("requests")).intValue(), ((Number) row.get("writes")).intValue(),
                instant(row.get("hold_until"), Instant.MIN), instant(row.get("window_moves"), null));
    }

    @Override
    @Transactional
    public boolean spend(int requests, int writes, int requestLimit, int writeLimit) {
        jdbc.queryForList("SELECT id FROM graph_throttle WHERE id = 1 FOR UPDATE");
        Map<String, Object> spent = jdbc.queryForMap("SELECT COALESCE(SUM(requests), 0) AS requests, "
                + "COALESCE(SUM(writes), 0) AS writes " + IN_WINDOW);
        int spentRequests = ((Number) spent.get("requests")).intValue();
        int spentWrites = ((Number) spent.get("writes")).intValue();
        boolean empty = spentRequests == 0 && spentWrites == 0;
        if (!empty && (spentRequests + requests > requestLimit || spentWrites + writes > writeLimit)) {
            return false;
        }
        jdbc.update("INSERT INTO graph_spend (spent_at, requests, writes) VALUES (CURRENT_TIMESTAMP, ?, ?)", requests, writes);
        return true;
    }

    @Override
    public void holdUntil(Instant until) {
        jdbc.update("UPDATE graph_throttle SET hold_until = ? WHERE id = 1 AND (hold_until IS NULL OR hold_until < ?)",
                Timestamp.from(until), Timestamp.from(until));
    }

    /** Forgets spends long out of the window, so the table stays small. */
    public void forgetOldSpends() {
        jdbc.update("DELETE FROM graph_spend WHERE spent_at < CURRENT_TIMESTAMP - INTERVAL '2 minutes'");
    }

    private static Instant instant(Object value, Instant none) {
        return value == null ? none : ((Timestamp) value).toInstant();
    }
}
