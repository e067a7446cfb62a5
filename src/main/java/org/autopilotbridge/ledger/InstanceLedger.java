package org.autopilotbridge.ledger;

import java.util.ArrayList;
import java.util.List;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * The instances that use the ledger and the work leased to each: this instance's sign of life, the renewal of its
 * leases, and what ops see of them.
 */
@Component
public class InstanceLedger {

    private final JdbcTemplate jdbc;
    private final LedgerDialect dialect;
    private final ThisInstance instance;

    public InstanceLedger(JdbcTemplate jdbc, LedgerDialect dialect, ThisInstance instance) {
        this.jdbc = jdbc;
        this.dialect = dialect;
        this.instance = instance;
    }

    /** This instance has started, or is still alive. */
    public void heartbeat() {
        // The database's clock, as the leases: liveInstances compares heartbeats with it.
        if (jdbc.update("UPDATE service_instance SET heartbeat_at = CURRENT_TIMESTAMP WHERE id = ?", instance.id()) == 0) {
            jdbc.update("INSERT INTO service_instance (id, host, started_at, heartbeat_at) VALUES (?, ?, ?, CURRENT_TIMESTAMP)",
                    instance.id(), instance.host(), Sql.now());
        }
    }

    /** Keeps the leases of the work this instance is on its own for another lease period. */
    @Transactional
    public void renewLeases() {
        renew("import_batch", instance.batchesWorkedOn());
        renew("hash_file", instance.filesWorkedOn());
        renew("device_update", instance.updatesWorkedOn());
        renew("profile_follow", instance.followsWorkedOn());
    }

    private void renew(String table, List<Long> ids) {
        for (long id : ids) {
            jdbc.update("UPDATE " + table + " SET lease_until = " + dialect.nowPlus(instance.lease())
                    + " WHERE id = ? AND lease_owner = ?", id, instance.id());
        }
    }

    /**
     * The embedded ledger has one instance at a time (a second is refused at start-up), so every lease and read lock
     * it holds at start is a leftover of this instance before a restart, and can go at once instead of running out.
     */
    @Transactional
    public void forgetLeasesOfEarlierRuns() {
        if (dialect.shared()) {
            return;
        }
        jdbc.update("UPDATE import_batch SET lease_owner = NULL, lease_until = NULL WHERE lease_owner IS NOT NULL");
        jdbc.update("UPDATE hash_file SET lease_owner = NULL, lease_until = NULL WHERE lease_owner IS NOT NULL");
        jdbc.update("UPDATE device_update SET lease_owner = NULL, lease_until = NULL WHERE lease_owner IS NOT NULL");
        jdbc.update("UPDATE profile_follow SET lease_owner = NULL, lease_until = NULL WHERE lease_owner IS NOT NULL");
        jdbc.update("DELETE FROM CAMEL_MESSAGEPROCESSED");
    }

    /** How many instances showed a sign of life within the last lease period, this one included. */
    public int liveInstances() {
        return jdbc.queryForObject("SELECT COUNT(*) FROM service_instance WHERE heartbeat_at > "
                + dialect.nowPlus(instance.lease().negated()), Integer.class);
    }

    /** The work leased to this instance, one line each, for ops. */
    public List<String> leasedWork() {
        List<String> work = new ArrayList<>(jdbc.query("SELECT name, status FROM hash_file WHERE lease_owner = ? ORDER BY id",
                (rs, n) -> "file " + rs.getString("name") + " (" + (FileStatus.of(rs.getString("status")) == FileStatus.RECEIVING
                        ? "reading" : "reporting") + ")", instance.id()));
        work.addAll(jdbc.query("SELECT import_id, status FROM import_batch WHERE lease_owner = ? ORDER BY id",
                (rs, n) -> "batch " + rs.getString("import_id") + " (" + switch (BatchStatus.valueOf(rs.getString("status"))) {
                    case SENDING -> "sending";
                    case TRACKING -> "following";
                    default -> "cleaning up";
                } + ")", instance.id()));
        work.addAll(jdbc.query("SELECT serial_number, status FROM device_update WHERE lease_owner = ? ORDER BY id",
                (rs, n) -> "update of " + rs.getString("serial_number") + " (" + switch (UpdateStatus.valueOf(rs.getString("status"))) {
                    case FIND -> "finding the registered device";
                    case SEND -> "sending";
                    case SENT, DONE -> "reading back";
                } + ")", instance.id()));
        work.addAll(jdbc.query("SELECT serial_number FROM profile_follow WHERE lease_owner = ? ORDER BY id",
                (rs, n) -> "profile of " + rs.getString("serial_number") + " (reading)", instance.id()));
        return work;
    }
}
