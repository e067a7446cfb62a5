package org.autopilotbridge.ledger;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * What the service keeps about the tenant as a whole: the Autopilot sync it owes, and what it learned about how
 * Graph answers there.
 */
@Component
public class TenantLedger {

    private final JdbcTemplate jdbc;

    TenantLedger(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Notes that a sync is wanted; an earlier, still open request stands. */
    public void requestSync() {
        jdbc.update("UPDATE autopilot_sync SET requested_at = COALESCE(requested_at, ?) WHERE id = 1", Sql.now());
    }

    public SyncState syncState() {
        return jdbc.queryForObject("SELECT requested_at, last_sync_at, next_try_at, last_result FROM autopilot_sync WHERE id = 1",
                (rs, n) -> new SyncState(Sql.instant(rs, "requested_at"), Sql.instant(rs, "last_sync_at"),
                        Sql.instant(rs, "next_try_at"), rs.getString("last_result")));
    }

    /**
     * Takes the wanted sync for this instance, if no other instance took it since {@code seen} was read: its next
     * try moves to {@code retryAt}, which is also when another instance may try should this one never say how it
     * went. True if this instance has it.
     */
    public boolean claimSync(SyncState seen, Instant retryAt) {
        Timestamp before = Timestamp.from(seen.nextTryAt() == null ? Instant.EPOCH : seen.nextTryAt());
        return jdbc.update("""
                UPDATE autopilot_sync SET next_try_at = ? WHERE id = 1 AND requested_at IS NOT NULL
                  AND COALESCE(next_try_at, TIMESTAMP WITH TIME ZONE '1970-01-01 00:00:00+00:00') = ?""", Sql.ts(retryAt), before) == 1;
    }

    public void syncDone(Instant at) {
        jdbc.update("UPDATE autopilot_sync SET requested_at = NULL, last_sync_at = ?, next_try_at = NULL, last_result = 'synced' WHERE id = 1",
                Sql.ts(at));
    }

    public void syncDeferred(Instant nextTry, String result) {
        jdbc.update("UPDATE autopilot_sync SET next_try_at = ?, last_result = ? WHERE id = 1", Sql.ts(nextTry), Sql.truncate(result, 2000));
    }

    /** A behaviour of Graph learned earlier, by name; empty when nothing was learned yet. */
    public Optional<String> graphBehaviour(String name) {
        return jdbc.queryForList("SELECT learned FROM graph_behaviour WHERE name = ?", String.class, name).stream().findFirst();
    }

    /** Records what Graph was seen to do, with the observation that showed it. */
    public void learnGraphBehaviour(String name, String value, String detail) {
        Object[] args = {value, Sql.now(), Sql.truncate(detail, 2000), name};
        String update = "UPDATE graph_behaviour SET learned = ?, learned_at = ?, detail = ? WHERE name = ?";
        if (jdbc.update(update, args) == 0) {
            try {
                jdbc.update("INSERT INTO graph_behaviour (learned, learned_at, detail, name) VALUES (?, ?, ?, ?)", args);
            } catch (DuplicateKeyException e) {
                // Another instance learned it at the same moment.
                jdbc.update(update, args);
            }
        }
    }
}
