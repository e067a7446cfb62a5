package org.autopilotbridge.ledger;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;

import javax.sql.DataSource;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

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
     * Makes what the current transaction commits survive a host crash, once it has committed: for a claim that the
     * next step acts on outside the ledger (a batch sent to Graph), which must not be forgotten and sent again under
     * the same importId without being adopted first. H2 writes each commit to the file (WRITE_DELAY=0) but leaves it
     * in the operating system's cache; CHECKPOINT SYNC forces the file to the device. PostgreSQL's commits are durable
     * by themselves.
     */
    void durableOnCommit(JdbcTemplate jdbc) {
        if (shared) {
            return;
        }
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    jdbc.execute("CHECKPOINT SYNC");
                }
            });
        } else {
            jdbc.execute("CHECKPOINT SYNC");
        }
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
