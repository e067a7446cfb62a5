package org.autopilotbridge.ledger;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * The import batches sent to Graph: claimed, sent, followed until settled, cleaned up. Each step leases the batch to
 * this instance (see {@link ThisInstance}) and gives the lease back when it has recorded its result, so that several
 * instances never work on the same batch, and the batch of an instance that died is taken over when its lease runs
 * out: a batch sent but never confirmed is then adopted by importId, as after a crash.
 */
@Component
public class BatchLedger {

    private static final RowMapper<ImportBatch> IMPORT_BATCH = (rs, n) -> new ImportBatch(rs.getLong("id"),
            rs.getLong("file_id"), rs.getString("import_id"), BatchStatus.valueOf(rs.getString("status")), Sql.instant(rs, "poll_deadline"),
            Sql.instant(rs, "next_poll_at"), rs.getString("tenant"));
    /**
     * A batch nobody holds: never leased, given back, or leased by an instance that stopped renewing (by the
     * database's clock, see {@link LedgerDialect#nowPlus}).
     */
    private static final String FREE = " AND (lease_until IS NULL OR lease_until < CURRENT_TIMESTAMP)";
    private static final String RELEASE = ", lease_owner = NULL, lease_until = NULL WHERE id = ? AND lease_owner = ?";

    private final JdbcTemplate jdbc;
    private final LedgerDialect dialect;
    private final ThisInstance instance;

    public BatchLedger(JdbcTemplate jdbc, LedgerDialect dialect, ThisInstance instance) {
        this.jdbc = jdbc;
        this.dialect = dialect;
        this.instance = instance;
    }

    /**
     * Claims up to {@code size} unsent devices of the oldest file that has some as a new batch, leased to this
     * instance, or nothing. A file still being read gives only full batches, so that its devices leave as soon as a
     * batch's worth is recorded without splitting the file into small calls; a recorded file gives what it has left.
     * The file's row is locked while its lines are claimed, so two instances never claim the same lines. The claim is
     * on the device before the batch is returned to be sent.
     */
    @Transactional
    public Optional<ImportBatch> openNextBatch(int size, Set<String> tenants) {
        List<Object> arguments = new ArrayList<>(List.of(FileStatus.RECORDED.name(), FileStatus.RECEIVING.name()));
        List<Map<String, Object>> files = jdbc.queryForList("""
                SELECT f.id, f.status FROM hash_file f
                WHERE (f.status = ? OR (f.status = ? AND f.dry_run = FALSE)) AND EXISTS (SELECT 1 FROM device d
                    WHERE d.file_id = f.id AND d.outcome IS NULL AND d.batch_id IS NULL)""" + inTenants("f.tenant", tenants, arguments)
                + " ORDER BY f.id", arguments.toArray());
        for (Map<String, Object> file : files) {
            long fileId = ((Number) file.get("id")).longValue();
            if (jdbc.queryForList("SELECT id FROM hash_file WHERE id = ?" + dialect.skipLocked(), Long.class, fileId).isEmpty()) {
                continue;
            }
            // The batch's last line: every unsent line up to it belongs to the batch, so one ranged update claims them.
            Map<String, Object> unsent = jdbc.queryForMap("SELECT COUNT(*) AS devices, MAX(line_no) AS last_line FROM ("
                    + dialect.firstUnsentLines() + ") first_unsent", fileId, size);
            int devices = ((Number) unsent.get("devices")).intValue();
            boolean stillReading = FileStatus.RECEIVING.name().equals(file.get("status"));
            if (devices == 0 || (stillReading && devices < size)) {
                continue;
            }
            ImportBatch batch = newBatch(fileId, BatchStatus.SENDING, true);
            instance.working(batch.id());
            jdbc.update("UPDATE device SET batch_id = ? WHERE file_id = ? AND outcome IS NULL AND batch_id IS NULL AND line_no <= ?",
                    batch.id(), fileId, ((Number) unsent.get("last_line")).longValue());
            dialect.durableOnCommit(jdbc);
            return Optional.of(batch);
        }
        return Optional.empty();
    }

    /**
     * Puts the importable lines of a chunk of a file being read into batches, in the transaction that records them, so
     * that no device row is written again to claim it: the file's forming batch is filled up to {@code size} devices
     * and is then READY to be sent, the next one formed as needed; the last one becomes READY when the file is sealed
     * ({@link FileLedger#sealFile}). Returns the batch of each line, in order, and whether a batch was filled. Only the
     * instance reading the file forms its batches (the inbox's read lock), and one that takes over its reading goes on
     * filling the same forming batch.
     */
    Formed formBatches(long fileId, int lines, int size) {
        long[] batchOf = new long[lines];
        boolean filled = false;
        List<Map<String, Object>> forming = jdbc.queryForList("""
                SELECT b.id, (SELECT COUNT(*) FROM device d WHERE d.batch_id = b.id) AS devices FROM import_batch b
                WHERE b.file_id = ? AND b.status = ?""", fileId, BatchStatus.FORMING.name());
        long batch = forming.isEmpty() ? 0 : ((Number) forming.get(0).get("id")).longValue();
        int devices = forming.isEmpty() ? 0 : ((Number) forming.get(0).get("devices")).intValue();
        for (int i = 0; i < lines; i++) {
            if (batch == 0) {
                batch = newBatch(fileId, BatchStatus.FORMING, false).id();
                devices = 0;
            }
            batchOf[i] = batch;
            if (++devices == size) {
                jdbc.update("UPDATE import_batch SET status = ? WHERE id = ?", BatchStatus.READY.name(), batch);
                batch = 0;
                filled = true;
            }
        }
        return new Formed(batchOf, filled);
    }

    /** The batch of each line of a chunk, in order, and whether one of them was filled (READY to be sent). */
    record Formed(long[] batchOf, boolean filled) {
    }

    /**
     * Leases the oldest batch formed while its file was read, marked SENDING, which is on the device before the batch
     * is returned to be sent: after a crash it is adopted by its importId, never sent again as new.
     */
    @Transactional
    public Optional<ImportBatch> claimFormed(Set<String> tenants) {
        return claim(tenants, "status = ?", BatchStatus.READY.name()).map(ready -> {
            jdbc.update("UPDATE import_batch SET status = ? WHERE id = ?", BatchStatus.SENDING.name(), ready.id());
            dialect.durableOnCommit(jdbc);
            return new ImportBatch(ready.id(), ready.fileId(), ready.importId(), BatchStatus.SENDING, ready.pollDeadline(),
                    ready.nextPollAt(), ready.tenant());
        });
    }

    /** The file's next batch, leased to this instance when {@code leased}. */
    private ImportBatch newBatch(long fileId, BatchStatus status, boolean leased) {
        int seq = jdbc.queryForObject("SELECT COALESCE(MAX(seq), 0) + 1 FROM import_batch WHERE file_id = ?",
                Integer.class, fileId);
        Map<String, Object> file = jdbc.queryForMap("SELECT sha256, tenant FROM hash_file WHERE id = ?", fileId);
        String importId = "apb-" + fileId + "-" + seq + "-" + ((String) file.get("sha256")).substring(0, 12);
        jdbc.update("""
                INSERT INTO import_batch (file_id, seq, import_id, status, created_at, tenant, lease_owner, lease_until)
                VALUES (?, ?, ?, ?, ?, ?, ?, """ + (leased ? dialect.nowPlus(instance.lease()) : "NULL") + ")", fileId, seq,
                importId, status.name(), Sql.now(), file.get("tenant"), leased ? instance.id() : null);
        return jdbc.queryForObject("SELECT * FROM import_batch WHERE import_id = ?", IMPORT_BATCH, importId);
    }

    /** Leases a batch sent before without a recorded answer that nobody holds (its sender stopped), if any. */
    public Optional<ImportBatch> claimUnconfirmed(Set<String> tenants) {
        return claim(tenants, "status = ?", BatchStatus.SENDING.name());
    }

    /**
     * Graph has answered for the whole batch: it is followed from now until the deadline, and its lease given back.
     * The Graph ids it answered with, by device, are kept with the batch in the same write (one value, not a row
     * write per device): each device's row gets its id with its outcome ({@link DeviceLedger#pendingDevices}).
     */
    public void batchSent(long batchId, Map<Long, String> graphIdByDevice, Duration pollInterval, Duration pollTimeout) {
        Instant now = Instant.now();
        instance.done(batchId);
        jdbc.update("UPDATE import_batch SET status = ?, sent_at = ?, next_poll_at = ?, poll_deadline = ?, graph_ids = ?" + RELEASE,
                BatchStatus.TRACKING.name(), Sql.ts(now), Sql.ts(now.plus(pollInterval)), Sql.ts(now.plus(pollTimeout)),
                GraphAnswer.encode(graphIdByDevice), batchId, instance.id());
    }

    /** Leases a batch due a poll that nobody holds, if any. */
    public Optional<ImportBatch> claimDue(Instant now, Set<String> tenants) {
        return claim(tenants, "status = ? AND next_poll_at <= ?", BatchStatus.TRACKING.name(), Sql.ts(now));
    }

    /** When the next batch being followed is due a poll; empty when none is followed. */
    public Optional<Instant> nextPollAt() {
        return Optional.ofNullable(jdbc.queryForObject("SELECT MIN(next_poll_at) FROM import_batch WHERE status = ?",
                Timestamp.class, BatchStatus.TRACKING.name())).map(Timestamp::toInstant);
    }

    /**
     * The batch was polled and is not final yet: its next poll, its deadline (moved by the time in which Graph could not
     * be asked), and its lease given back.
     */
    public void nextPoll(long batchId, Instant at, Instant deadline) {
        instance.done(batchId);
        jdbc.update("UPDATE import_batch SET next_poll_at = ?, poll_deadline = ?, polls = polls + 1" + RELEASE, Sql.ts(at),
                Sql.ts(deadline), batchId, instance.id());
    }

    /**
     * Every device of the batch is final: it waits for its clean-up, or is done when there is none. The devices in
     * {@code importedUnwritten} (by device, their registration ids) are imported and their rows were not written: the
     * batch keeps them as one value, and a line of the batch without an outcome of its own is imported
     * ({@link LineOutcomes}).
     */
    public void batchSettled(long batchId, boolean cleanUp, Map<Long, String> importedUnwritten) {
        instance.done(batchId);
        jdbc.update("UPDATE import_batch SET status = ?, finished_at = ?, imported_unwritten = ?, registration_ids = ?" + RELEASE,
                cleanUp ? BatchStatus.CLEANING.name() : BatchStatus.DONE.name(), Sql.now(), importedUnwritten.size(),
                GraphAnswer.encode(importedUnwritten), batchId, instance.id());
    }

    public void batchDone(long batchId) {
        instance.done(batchId);
        jdbc.update("UPDATE import_batch SET status = ?" + RELEASE, BatchStatus.DONE.name(), batchId, instance.id());
    }

    /** Leases a settled batch of a reported file, if any: clean-up never competes with a file still in progress. */
    public Optional<ImportBatch> claimToCleanUp(Set<String> tenants) {
        return claim(tenants, "status = ? AND file_id IN (SELECT id FROM hash_file WHERE status = ?)", BatchStatus.CLEANING.name(),
                FileStatus.FINISHED.name());
    }

    /**
     * Gives back a batch's lease without changing it, when the work on it stopped early (a failure, or the service
     * stopping): another instance, or this one, takes it up again.
     */
    public void release(ImportBatch batch) {
        instance.done(batch.id());
        jdbc.update("UPDATE import_batch SET status = status" + RELEASE, batch.id(), instance.id());
    }

    /**
     * The fencing check, made right before the batch is sent: true, with the lease renewed, only if this instance
     * still holds it and it has not run out by the database's clock. An instance that paused or lost the database
     * for longer than its lease may find the batch taken by another, which may be sending it already; it then stops
     * working on it (and stops renewing it) without sending.
     */
    public boolean stillHeld(long batchId) {
        boolean held = jdbc.update("UPDATE import_batch SET lease_until = " + dialect.nowPlus(instance.lease())
                + " WHERE id = ? AND lease_owner = ? AND lease_until > CURRENT_TIMESTAMP", batchId, instance.id()) == 1;
        if (!held) {
            instance.done(batchId);
        }
        return held;
    }

    /** Makes every batch being followed due now; returns how many there are. */
    public int pollAllNow() {
        return jdbc.update("UPDATE import_batch SET next_poll_at = ? WHERE status = ?", Sql.now(), BatchStatus.TRACKING.name());
    }

    /**
     * Leases the oldest batch that matches {@code condition} and that nobody holds. One at a time, as a worker is
     * free for it, so that the instances share the work. The lease is taken by an update that holds only while the
     * batch is still free, so two instances that pick the same batch at the same moment never both get it (the
     * callers are this class's own methods, which Spring's transaction proxy does not wrap); a batch another instance
     * is leasing at that moment is passed over (SKIP LOCKED on a shared ledger).
     */
    Optional<ImportBatch> claim(Set<String> tenants, String condition, Object... arguments) {
        List<Object> all = new ArrayList<>(List.of(arguments));
        String where = condition + inTenants("tenant", tenants, all);
        while (true) {
            List<Long> ids = jdbc.queryForList("SELECT id FROM import_batch WHERE " + where + FREE
                    + " ORDER BY id LIMIT 1" + dialect.skipLocked(), Long.class, all.toArray());
            if (ids.isEmpty()) {
                return Optional.empty();
            }
            long id = ids.get(0);
            if (jdbc.update("UPDATE import_batch SET lease_owner = ?, lease_until = " + dialect.nowPlus(instance.lease())
                    + " WHERE id = ?" + FREE, instance.id(), id) == 1) {
                instance.working(id);
                return Optional.of(jdbc.queryForObject("SELECT * FROM import_batch WHERE id = ?", IMPORT_BATCH, id));
            }
        }
    }

    /**
     * The condition that keeps to the work of {@code tenants}, adding their names to {@code arguments}: the tenants
     * whose Graph can be used now and that have room for more work (see TenantGraphs.workable). The work of others
     * waits in the ledger, instead of on a worker another tenant could use, and so does the work of a tenant no
     * longer configured. No tenant: no work.
     */
    static String inTenants(String column, Set<String> tenants, List<Object> arguments) {
        if (tenants.isEmpty()) {
            return " AND 1 = 0";
        }
        arguments.addAll(tenants);
        return " AND " + column + " IN (" + String.join(", ", Collections.nCopies(tenants.size(), "?")) + ")";
    }
}
