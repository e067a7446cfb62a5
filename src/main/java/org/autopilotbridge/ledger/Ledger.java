package org.autopilotbridge.ledger;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.jdbc.support.KeyHolder;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * The service's memory: files, import batches and devices in the embedded database. Every step reads its
 * work from here and writes its result back before the next step may act on it.
 */
@Component
public class Ledger {

    private static final RowMapper<HashFile> HASH_FILE = (rs, n) -> new HashFile(rs.getLong("id"),
            rs.getString("name"), rs.getString("source"), rs.getString("sha256"), rs.getString("status"),
            rs.getBoolean("dry_run"), rs.getString("stored_path"), rs.getString("report_stem"), instant(rs, "received_at"));

    private static final RowMapper<ImportBatch> IMPORT_BATCH = (rs, n) -> new ImportBatch(rs.getLong("id"),
            rs.getLong("file_id"), rs.getString("import_id"), rs.getString("status"), instant(rs, "poll_deadline"));

    private static final RowMapper<PendingDevice> PENDING_DEVICE = (rs, n) -> new PendingDevice(rs.getLong("id"),
            rs.getLong("line_no"), rs.getString("serial_number"), rs.getString("serial_key"),
            rs.getString("hardware_hash"), rs.getString("product_key"), rs.getString("group_tag"),
            rs.getString("assigned_user"), rs.getString("graph_id"));

    private static final String DEVICE_COLUMNS =
            "SELECT d.id, d.line_no, d.serial_number, d.serial_key, d.product_key, d.group_tag, d.assigned_user, d.graph_id";
    /** Devices with their hashes, for sending; the hash is only ever read for that. */
    private static final String DEVICES_WITH_HASH = DEVICE_COLUMNS
            + ", h.hardware_hash FROM device d LEFT JOIN device_hash h ON h.file_id = d.file_id AND h.line_no = d.line_no ";

    private final JdbcTemplate jdbc;

    public Ledger(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    // ---- receiving a file

    public long startFile(String name, String source, String sha256, long sizeBytes, String encoding, boolean dryRun) {
        KeyHolder key = new GeneratedKeyHolder();
        jdbc.update(con -> {
            PreparedStatement ps = con.prepareStatement("""
                    INSERT INTO hash_file (name, source, sha256, size_bytes, encoding, status, dry_run, received_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)""", new String[] {"ID"});
            ps.setString(1, name);
            ps.setString(2, source);
            ps.setString(3, sha256);
            ps.setLong(4, sizeBytes);
            ps.setString(5, encoding);
            ps.setString(6, HashFile.RECEIVING);
            ps.setBoolean(7, dryRun);
            ps.setTimestamp(8, now());
            return ps;
        }, key);
        return key.getKey().longValue();
    }

    // Batch writes are one transaction each: every commit is flushed to disk (WRITE_DELAY=0), so a commit per row
    // would cost a flush per row.

    /** Where the file will wait while its devices are followed, known before it is moved there. */
    public void storeAt(long fileId, String storedPath) {
        jdbc.update("UPDATE hash_file SET stored_path = ? WHERE id = ?", storedPath, fileId);
    }

    /** True if a file recorded in the ledger waits at this path. */
    public boolean isStoredAt(String storedPath) {
        return !jdbc.queryForList("SELECT id FROM hash_file WHERE stored_path = ? AND status = ?", Long.class,
                storedPath, HashFile.RECORDED).isEmpty();
    }

    public List<HashFile> filesInStatus(String status) {
        return jdbc.query("SELECT * FROM hash_file WHERE status = ? ORDER BY id", HASH_FILE, status);
    }

    /** The earlier run of a file with this content, if one was accepted; a dry run counts only for dry runs. */
    public Optional<HashFile> earlierRun(String sha256, boolean dryRun) {
        return jdbc.query("""
                SELECT * FROM hash_file WHERE sha256 = ? AND status IN (?, ?) AND (dry_run = FALSE OR ?)
                ORDER BY id LIMIT 1""", HASH_FILE, sha256, HashFile.RECORDED, HashFile.FINISHED, dryRun).stream().findFirst();
    }

    /** Records every line of a file that repeats an earlier one as a duplicate of that run, with its outcome. */
    public void copyAsDuplicate(long fileId, HashFile earlier) {
        jdbc.update("""
                INSERT INTO device (file_id, line_no, serial_number, outcome, detail)
                SELECT ?, line_no, serial_number, ?, ? || COALESCE(LOWER(REPLACE(outcome, '_', '-')), 'still in progress')
                FROM device WHERE file_id = ?""", fileId, Outcome.DUPLICATE.name(),
                "same content as " + earlier.name() + " (file #" + earlier.id() + ", received " + earlier.receivedAt()
                        + "), not imported again; outcome there: ", earlier.id());
    }

    /** Forgets a file whose reading did not complete, so it can be read again from the start. */
    @Transactional
    public void discardFile(long fileId) {
        forgetLines(fileId);
        jdbc.update("DELETE FROM import_batch WHERE file_id = ?", fileId);
        jdbc.update("DELETE FROM hash_file WHERE id = ?", fileId);
    }

    private void forgetLines(long fileId) {
        jdbc.update("DELETE FROM device_hash WHERE file_id = ?", fileId);
        jdbc.update("DELETE FROM device WHERE file_id = ?", fileId);
    }

    /** Counts a failed attempt at a file's content; returns how many there have been. */
    @Transactional
    public int failedAttempt(String sha256, String error) {
        int updated = jdbc.update("UPDATE ingest_attempt SET attempts = attempts + 1, last_error = ?, last_at = ? WHERE sha256 = ?",
                truncate(error, 2000), now(), sha256);
        if (updated == 0) {
            jdbc.update("INSERT INTO ingest_attempt (sha256, attempts, last_error, last_at) VALUES (?, 1, ?, ?)",
                    sha256, truncate(error, 2000), now());
        }
        return jdbc.queryForObject("SELECT attempts FROM ingest_attempt WHERE sha256 = ?", Integer.class, sha256);
    }

    @Transactional
    public void recordLines(long fileId, List<RecordedLine> lines) {
        jdbc.batchUpdate("""
                INSERT INTO device (file_id, line_no, serial_number, serial_key, product_key, group_tag, assigned_user,
                                    outcome, detail)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""", lines, lines.size(), (ps, l) -> {
            ps.setLong(1, fileId);
            ps.setLong(2, l.line());
            ps.setString(3, l.serialNumber());
            ps.setString(4, l.serialKey());
            ps.setString(5, l.productKey());
            ps.setString(6, l.groupTag());
            ps.setString(7, l.assignedUser());
            ps.setString(8, l.outcome() == null ? null : l.outcome().name());
            ps.setString(9, l.detail());
        });
        List<RecordedLine> hashed = lines.stream().filter(l -> l.hardwareHash() != null).toList();
        jdbc.batchUpdate("INSERT INTO device_hash (file_id, line_no, hardware_hash) VALUES (?, ?, ?)", hashed,
                hashed.size(), (ps, l) -> {
                    ps.setLong(1, fileId);
                    ps.setLong(2, l.line());
                    ps.setString(3, l.hardwareHash());
                });
    }

    /**
     * Seals a fully read file: later lines repeating a serial number become duplicates of the first; a device
     * this service registered from an earlier file is already registered (it is not sent again); in a dry run
     * every valid line is final as validated.
     */
    @Transactional
    public void sealFile(long fileId, boolean dryRun, String storedPath) {
        jdbc.update("""
                UPDATE device d SET outcome = ?, detail = 'serial number already on line ' ||
                    (SELECT MIN(e.line_no) FROM device e WHERE e.file_id = d.file_id AND e.serial_key = d.serial_key)
                WHERE d.file_id = ? AND d.outcome IS NULL AND EXISTS (SELECT 1 FROM device e
                    WHERE e.file_id = d.file_id AND e.serial_key = d.serial_key AND e.line_no < d.line_no)""",
                Outcome.DUPLICATE.name(), fileId);
        if (dryRun) {
            jdbc.update("UPDATE device SET outcome = ?, detail = 'dry run: valid, not sent' WHERE file_id = ? AND outcome IS NULL",
                    Outcome.VALIDATED.name(), fileId);
        } else {
            jdbc.update("""
                    UPDATE device d SET outcome = ?, detail = (SELECT 'registered by this service from ' || f.name
                            || ' (file #' || f.id || ', line ' || e.line_no || ') on ' || CAST(f.received_at AS DATE)
                        FROM device e JOIN hash_file f ON f.id = e.file_id
                        WHERE e.serial_key = d.serial_key AND e.outcome = ? AND e.file_id <> d.file_id
                        ORDER BY e.id DESC LIMIT 1)
                    WHERE d.file_id = ? AND d.outcome IS NULL AND EXISTS (SELECT 1 FROM device e
                        WHERE e.serial_key = d.serial_key AND e.outcome = ? AND e.file_id <> d.file_id)""",
                    Outcome.ALREADY_REGISTERED.name(), Outcome.IMPORTED.name(), fileId, Outcome.IMPORTED.name());
        }
        jdbc.update("DELETE FROM ingest_attempt WHERE sha256 = (SELECT sha256 FROM hash_file WHERE id = ?)", fileId);
        jdbc.update("UPDATE hash_file SET status = ?, stored_path = ?, recorded_at = ? WHERE id = ?",
                HashFile.RECORDED, storedPath, now(), fileId);
    }

    /** A file refused before anything of it was recorded, kept on record with its reason. */
    public void recordRefusedFile(String name, String source, String sha256, long sizeBytes, String reason) {
        jdbc.update("""
                INSERT INTO hash_file (name, source, sha256, size_bytes, status, dry_run, received_at, finished_at, status_detail)
                VALUES (?, ?, ?, ?, ?, FALSE, ?, ?, ?)""", name, source, sha256 == null ? "unknown" : sha256, sizeBytes,
                HashFile.REFUSED, now(), now(), truncate(reason, 2000));
    }

    @Transactional
    public void refuseFile(long fileId, String reason) {
        forgetLines(fileId);
        jdbc.update("UPDATE hash_file SET status = ?, status_detail = ?, finished_at = ? WHERE id = ?",
                HashFile.REFUSED, reason, now(), fileId);
    }

    // ---- submitting

    /**
     * Claims up to {@code size} unsent devices of the oldest recorded file as a new batch, or nothing. The ORDER BY
     * names every column of index device_pending (which H2 is told to use: its planner would otherwise pick the
     * file_id index and sort the whole file), so it reads the first devices from the index and stops at the limit.
     */
    @Transactional
    public Optional<ImportBatch> openNextBatch(int size) {
        List<Long> files = jdbc.queryForList("""
                SELECT f.id FROM hash_file f WHERE f.status = ? AND EXISTS (SELECT 1 FROM device d
                    WHERE d.file_id = f.id AND d.outcome IS NULL AND d.batch_id IS NULL)
                ORDER BY f.id LIMIT 1""", Long.class, HashFile.RECORDED);
        if (files.isEmpty()) {
            return Optional.empty();
        }
        long fileId = files.get(0);
        int seq = jdbc.queryForObject("SELECT COALESCE(MAX(seq), 0) + 1 FROM import_batch WHERE file_id = ?",
                Integer.class, fileId);
        String sha = jdbc.queryForObject("SELECT sha256 FROM hash_file WHERE id = ?", String.class, fileId);
        String importId = "apb-" + fileId + "-" + seq + "-" + sha.substring(0, 12);
        jdbc.update("INSERT INTO import_batch (file_id, seq, import_id, status, created_at) VALUES (?, ?, ?, ?, ?)",
                fileId, seq, importId, ImportBatch.SENDING, now());
        ImportBatch batch = jdbc.queryForObject("SELECT * FROM import_batch WHERE import_id = ?", IMPORT_BATCH, importId);
        // The batch's last line: every unsent line up to it belongs to the batch, so one ranged update claims them.
        Long lastLine = jdbc.queryForObject("""
                SELECT MAX(line_no) FROM (SELECT line_no FROM device USE INDEX (device_pending)
                    WHERE file_id = ? AND outcome IS NULL AND batch_id IS NULL
                    ORDER BY file_id, outcome, batch_id, line_no LIMIT ?)""", Long.class, fileId, size);
        jdbc.update("UPDATE device SET batch_id = ? WHERE file_id = ? AND outcome IS NULL AND batch_id IS NULL AND line_no <= ?",
                batch.id(), fileId, lastLine);
        return Optional.of(batch);
    }

    public List<ImportBatch> batchesInStatus(String status) {
        return jdbc.query("SELECT * FROM import_batch WHERE status = ? ORDER BY id", IMPORT_BATCH, status);
    }

    /** The devices of a batch that have no outcome yet (without their hashes). */
    public List<PendingDevice> pendingDevices(long batchId) {
        return jdbc.query(DEVICE_COLUMNS + ", NULL AS hardware_hash FROM device d WHERE d.batch_id = ? AND d.outcome IS NULL ORDER BY d.line_no",
                PENDING_DEVICE, batchId);
    }

    /** The devices of a batch that Graph has not confirmed yet, with their hashes, to be sent. */
    public List<PendingDevice> unsentDevices(long batchId) {
        return jdbc.query(DEVICES_WITH_HASH + "WHERE d.batch_id = ? AND d.outcome IS NULL AND d.graph_id IS NULL ORDER BY d.line_no",
                PENDING_DEVICE, batchId);
    }

    @Transactional
    public void recordGraphIds(Map<Long, String> graphIdByDevice) {
        jdbc.batchUpdate("UPDATE device SET graph_id = ? WHERE id = ?", graphIdByDevice.entrySet(),
                graphIdByDevice.size(), (ps, e) -> {
                    ps.setString(1, e.getValue());
                    ps.setLong(2, e.getKey());
                });
    }

    @Transactional
    public void recordOutcomes(Map<Long, DeviceOutcome> outcomeByDevice) {
        jdbc.batchUpdate("UPDATE device SET outcome = ?, error_code = ?, error_name = ?, detail = ? WHERE id = ?",
                outcomeByDevice.entrySet(), outcomeByDevice.size(), (ps, e) -> {
                    DeviceOutcome o = e.getValue();
                    ps.setString(1, o.outcome().name());
                    ps.setString(2, o.errorCode());
                    ps.setString(3, o.errorName());
                    ps.setString(4, truncate(o.detail(), 2000));
                    ps.setLong(5, e.getKey());
                });
    }

    /** One update per device for everything a poll learned, since each row update in H2 rewrites its index paths. */
    @Transactional
    public void recordPolled(List<PolledDevice> devices) {
        jdbc.batchUpdate("""
                UPDATE device SET graph_id = COALESCE(graph_id, ?), import_status = COALESCE(?, import_status), outcome = ?,
                                  error_code = ?, error_name = ?, detail = ?
                WHERE id = ?""", devices, devices.size(), (ps, d) -> {
            DeviceOutcome o = d.outcome();
            ps.setString(1, d.graphId());
            ps.setString(2, d.importStatus());
            ps.setString(3, o == null ? null : o.outcome().name());
            ps.setString(4, o == null ? null : o.errorCode());
            ps.setString(5, o == null ? null : o.errorName());
            ps.setString(6, o == null ? null : truncate(o.detail(), 2000));
            ps.setLong(7, d.id());
        });
    }

    /** Graph has answered for the whole batch: it is followed from now until the deadline. */
    public void batchSent(long batchId, Duration pollInterval, Duration pollTimeout) {
        Instant now = Instant.now();
        jdbc.update("UPDATE import_batch SET status = ?, sent_at = ?, next_poll_at = ?, poll_deadline = ? WHERE id = ?",
                ImportBatch.TRACKING, ts(now), ts(now.plus(pollInterval)), ts(now.plus(pollTimeout)), batchId);
    }

    // ---- tracking

    public List<ImportBatch> batchesDue(Instant now) {
        return jdbc.query("SELECT * FROM import_batch WHERE status = ? AND next_poll_at <= ? ORDER BY next_poll_at",
                IMPORT_BATCH, ImportBatch.TRACKING, ts(now));
    }

    public void nextPoll(long batchId, Instant at) {
        jdbc.update("UPDATE import_batch SET next_poll_at = ?, polls = polls + 1 WHERE id = ?", ts(at), batchId);
    }

    /** Every device of the batch is final: it waits for its clean-up, or is done when there is none. */
    public void batchSettled(long batchId, boolean cleanUp) {
        jdbc.update("UPDATE import_batch SET status = ?, finished_at = ? WHERE id = ?",
                cleanUp ? ImportBatch.CLEANING : ImportBatch.DONE, now(), batchId);
    }

    public void batchDone(long batchId) {
        jdbc.update("UPDATE import_batch SET status = ? WHERE id = ?", ImportBatch.DONE, batchId);
    }

    /** Settled batches of files whose reports are written: clean-up never competes with a file still in progress. */
    public List<ImportBatch> batchesToCleanUp() {
        return jdbc.query("""
                SELECT b.* FROM import_batch b JOIN hash_file f ON f.id = b.file_id
                WHERE b.status = ? AND f.status = ? ORDER BY b.id""", IMPORT_BATCH, ImportBatch.CLEANING, HashFile.FINISHED);
    }

    /** The ids Graph gave the batch's imported records, which clean-up deletes. */
    public List<String> importedRecordIds(long batchId) {
        return jdbc.queryForList("SELECT graph_id FROM device WHERE batch_id = ? AND graph_id IS NOT NULL ORDER BY line_no",
                String.class, batchId);
    }

    // ---- finishing

    /**
     * Recorded files with every line final and no batch still sent or followed: their reports can be written
     * while Graph's staging records are still being deleted.
     */
    public List<HashFile> filesReadyToReport() {
        return jdbc.query("""
                SELECT * FROM hash_file f WHERE f.status = ?
                  AND NOT EXISTS (SELECT 1 FROM device d WHERE d.file_id = f.id AND d.outcome IS NULL)
                  AND NOT EXISTS (SELECT 1 FROM import_batch b WHERE b.file_id = f.id AND b.status IN (?, ?))
                ORDER BY f.id""", HASH_FILE, HashFile.RECORDED, ImportBatch.SENDING, ImportBatch.TRACKING);
    }

    /** Every data line of a file in line order; close the stream. */
    public Stream<ResultLine> resultLines(long fileId) {
        return jdbc.queryForStream("""
                SELECT line_no, serial_number, outcome, error_code, error_name, detail
                FROM device WHERE file_id = ? ORDER BY line_no""", (rs, n) -> new ResultLine(rs.getLong(1),
                rs.getString(2), Outcome.valueOf(rs.getString(3)), rs.getString(4), rs.getString(5), rs.getString(6)),
                fileId);
    }

    /** The devices of a dry-run file that would have been sent, in line order; close the stream. */
    public Stream<PendingDevice> validatedDevices(long fileId) {
        return jdbc.queryForStream(DEVICES_WITH_HASH + "WHERE d.file_id = ? AND d.outcome = ? ORDER BY d.line_no",
                PENDING_DEVICE, fileId, Outcome.VALIDATED.name());
    }

    public Map<Outcome, Integer> outcomeCounts(long fileId) {
        Map<Outcome, Integer> counts = new EnumMap<>(Outcome.class);
        jdbc.query("SELECT outcome, COUNT(*) FROM device WHERE file_id = ? AND outcome IS NOT NULL GROUP BY outcome",
                (RowCallbackHandler) rs -> counts.put(Outcome.valueOf(rs.getString(1)), rs.getInt(2)), fileId);
        return counts;
    }

    /** The name the file's reports are written under, chosen once. */
    public void nameReports(long fileId, String reportName) {
        jdbc.update("UPDATE hash_file SET report_stem = ? WHERE id = ?", reportName, fileId);
    }

    /**
     * The file's reports are written: hashes are no longer needed and are dropped to keep the ledger small, a
     * thousand at a time, since one transaction deleting 400 MB of hashes makes H2 write them all to its undo log.
     * A crash in between only leaves the file to be finished again.
     */
    public void fileFinished(long fileId) {
        while (jdbc.update("DELETE FROM device_hash WHERE file_id = ? LIMIT 1000", fileId) > 0) {
            // until none is left
        }
        jdbc.update("UPDATE hash_file SET status = ?, finished_at = ? WHERE id = ?", HashFile.FINISHED, now(), fileId);
    }

    // ---- what ops see

    public Map<String, Long> fileCountsByStatus() {
        Map<String, Long> counts = new java.util.HashMap<>();
        jdbc.query("SELECT status, COUNT(*) FROM hash_file GROUP BY status",
                (RowCallbackHandler) rs -> counts.put(rs.getString(1), rs.getLong(2)));
        return counts;
    }

    public long deviceCount(Outcome outcome) {
        return jdbc.queryForObject("SELECT COUNT(*) FROM device WHERE outcome = ?", Long.class, outcome.name());
    }

    public long pendingDeviceCount() {
        return jdbc.queryForObject("SELECT COUNT(*) FROM device WHERE outcome IS NULL", Long.class);
    }

    /** One line per file in flight: name, source, lines final out of lines recorded. */
    public List<String> fileProgress() {
        return jdbc.query("""
                SELECT f.id, f.name, f.source, f.status, COUNT(d.id) AS lines, COUNT(d.outcome) AS final_lines
                FROM hash_file f LEFT JOIN device d ON d.file_id = f.id
                WHERE f.status IN (?, ?) GROUP BY f.id, f.name, f.source, f.status ORDER BY f.id""",
                (rs, n) -> rs.getString("name") + " (#" + rs.getLong("id") + " from " + rs.getString("source") + ", "
                        + rs.getString("status").toLowerCase(java.util.Locale.ROOT) + "): " + rs.getLong("final_lines")
                        + " of " + rs.getLong("lines") + " lines final",
                HashFile.RECEIVING, HashFile.RECORDED);
    }

    /** Makes every batch being followed due now; returns how many there are. */
    public int pollAllNow() {
        return jdbc.update("UPDATE import_batch SET next_poll_at = ? WHERE status = ?", now(), ImportBatch.TRACKING);
    }

    // ---- the Autopilot sync

    /** Notes that a sync is wanted; an earlier, still open request stands. */
    public void requestSync() {
        jdbc.update("UPDATE autopilot_sync SET requested_at = COALESCE(requested_at, ?) WHERE id = 1", now());
    }

    public SyncState syncState() {
        return jdbc.queryForObject("SELECT requested_at, last_sync_at, next_try_at, last_result FROM autopilot_sync WHERE id = 1",
                (rs, n) -> new SyncState(instant(rs, "requested_at"), instant(rs, "last_sync_at"),
                        instant(rs, "next_try_at"), rs.getString("last_result")));
    }

    public void syncDone(Instant at) {
        jdbc.update("UPDATE autopilot_sync SET requested_at = NULL, last_sync_at = ?, next_try_at = NULL, last_result = 'synced' WHERE id = 1",
                ts(at));
    }

    public void syncDeferred(Instant nextTry, String result) {
        jdbc.update("UPDATE autopilot_sync SET next_try_at = ?, last_result = ? WHERE id = 1", ts(nextTry), truncate(result, 2000));
    }

    private static Timestamp now() {
        return ts(Instant.now());
    }

    private static Timestamp ts(Instant instant) {
        return Timestamp.from(instant);
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }

    private static String truncate(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max - 3) + "...";
    }
}
