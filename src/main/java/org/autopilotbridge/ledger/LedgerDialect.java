package org.autopilotbridge.ledger;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;

import javax.sql.DataSource;

import org.springframework.stereotype.Component;

/**
 * The little SQL that differs between the embedded H2 ledger (one instance) and PostgreSQL (shared by several).
 * Everything else is written once, in SQL both understand.
 */
@Component
public class LedgerDialect {

    private final boolean shared;

    public LedgerDialect(DataSource ledger) throws SQLException {
        try (Connection connection = ledger.getConnection()) {
            this.shared = connection.getMetaData().getDatabaseProductName().toLowerCase().contains("postgresql");
        }
    }

    /** True when the ledger is a database several instances may share (PostgreSQL). */
    public boolean shared() {
        return shared;
    }

    /**
     * The database's time {@code later} from now, as SQL: leases are taken, renewed and compared on the database's
     * clock alone ({@code CURRENT_TIMESTAMP}), so an instance whose own clock steps or that pauses cannot take or keep
     * a lease another instance holds. The duration is a setting, never input, so it is written into the statement.
     */
    String nowPlus(Duration later) {
        return shared ? "(CURRENT_TIMESTAMP + INTERVAL '" + later.toMillis() + " milliseconds')"
                : "DATEADD(MILLISECOND, " + later.toMillis() + ", CURRENT_TIMESTAMP)";
    }

    /**
     * How a claim reads the rows it takes: on a shared ledger it locks them and passes over rows another instance has
     * locked, so that two instances never claim the same work; the embedded ledger has one instance and needs no lock.
     */
    String skipLocked() {
        return shared ? " FOR UPDATE SKIP LOCKED" : "";
    }

    /**
     * A file's first unsent lines in line order, at most a batch of them. H2 is told to read them from the index
     * device_pending, whose every column the ORDER BY names: its planner would otherwise pick the file_id index and
     * sort all of the file's unsent lines for every batch. PostgreSQL's planner finds the index by itself.
     */
    String firstUnsentLines() {
        return "SELECT line_no FROM device" + (shared ? "" : " USE INDEX (device_pending)")
                + " WHERE file_id = ? AND outcome IS NULL AND batch_id IS NULL ORDER BY file_id, outcome, batch_id, line_no LIMIT ?";
    }
}
