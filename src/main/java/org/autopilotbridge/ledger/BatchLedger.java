package org.autopilotbridge.ledger;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/** The import batches sent to Graph: claimed, sent, followed until settled, cleaned up. */
@Component
public class BatchLedger {

    private static final RowMapper<ImportBatch> IMPORT_BATCH = (rs, n) -> new ImportBatch(rs.getLong("id"),
            rs.getLong("file_id"), rs.getString("import_id"), rs.getString("status"), Sql.instant(rs, "poll_deadline"));

    private final JdbcTemplate jdbc;

    public BatchLedger(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Claims up to {@code size} unsent devices of the oldest file that has some as a new batch, or nothing. A file
     * still being read gives only full batches, so that its devices leave as soon as a batch's worth is recorded
     * without splitting the file into small calls; a recorded file gives what it has left. The ORDER BY names every
     * column of index device_pending (which H2 is told to use: its planner would otherwise pick the file_id index and
     * sort the whole file), so it reads the first devices from the index and stops at the limit.
     */
    @Transactional
    public Optional<ImportBatch> openNextBatch(int size) {
        List<Map<String, Object>> files = jdbc.queryForList("""
                SELECT f.id, f.status FROM hash_file f
                WHERE (f.status = ? OR (f.status = ? AND f.dry_run = FALSE)) AND EXISTS (SELECT 1 FROM device d
                    WHERE d.file_id = f.id AND d.outcome IS NULL AND d.batch_id IS NULL)
                ORDER BY f.id""", HashFile.RECORDED, HashFile.RECEIVING);
        for (Map<String, Object> file : files) {
            long fileId = ((Number) file.get("id")).longValue();
            // The batch's last line: every unsent line up to it belongs to the batch, so one ranged update claims them.
            Map<String, Object> unsent = jdbc.queryForMap("""
                    SELECT COUNT(*) AS devices, MAX(line_no) AS last_line FROM (SELECT line_no FROM device USE INDEX (device_pending)
                        WHERE file_id = ? AND outcome IS NULL AND batch_id IS NULL
                        ORDER BY file_id, outcome, batch_id, line_no LIMIT ?)""", fileId, size);
            boolean stillReading = HashFile.RECEIVING.equals(file.get("status"));
            if (stillReading && ((Number) unsent.get("devices")).intValue() < size) {
                continue;
            }
            int seq = jdbc.queryForObject("SELECT COALESCE(MAX(seq), 0) + 1 FROM import_batch WHERE file_id = ?",
                    Integer.class, fileId);
            String sha = jdbc.queryForObject("SELECT sha256 FROM hash_file WHERE id = ?", String.class, fileId);
            String importId = "apb-" + fileId + "-" + seq + "-" + sha.substring(0, 12);
            jdbc.update("INSERT INTO import_batch (file_id, seq, import_id, status, created_at) VALUES (?, ?, ?, ?, ?)",
                    fileId, seq, importId, ImportBatch.SENDING, Sql.now());
            ImportBatch batch = jdbc.queryForObject("SELECT * FROM import_batch WHERE import_id = ?", IMPORT_BATCH, importId);
            jdbc.update("UPDATE device SET batch_id = ? WHERE file_id = ? AND outcome IS NULL AND batch_id IS NULL AND line_no <= ?",
                    batch.id(), fileId, ((Number) unsent.get("last_line")).longValue());
            return Optional.of(batch);
        }
        return Optional.empty();
    }

    public List<ImportBatch> batchesInStatus(String status) {
        return jdbc.query("SELECT * FROM import_batch WHERE status = ? ORDER BY id", IMPORT_BATCH, status);
    }

    /** Graph has answered for the whole batch: it is followed from now until the deadline. */
    public void batchSent(long batchId, Duration pollInterval, Duration pollTimeout) {
        Instant now = Instant.now();
        jdbc.update("UPDATE import_batch SET status = ?, sent_at = ?, next_poll_at = ?, poll_deadline = ? WHERE id = ?",
                ImportBatch.TRACKING, Sql.ts(now), Sql.ts(now.plus(pollInterval)), Sql.ts(now.plus(pollTimeout)), batchId);
    }

    public List<ImportBatch> batchesDue(Instant now) {
        return jdbc.query("SELECT * FROM import_batch WHERE status = ? AND next_poll_at <= ? ORDER BY next_poll_at",
                IMPORT_BATCH, ImportBatch.TRACKING, Sql.ts(now));
    }

    /** When the next batch being followed is due a poll; empty when none is followed. */
    public Optional<Instant> nextPollAt() {
        return Optional.ofNullable(jdbc.queryForObject("SELECT MIN(next_poll_at) FROM import_batch WHERE status = ?",
                Timestamp.class, ImportBatch.TRACKING)).map(Timestamp::toInstant);
    }

    public void nextPoll(long batchId, Instant at) {
        jdbc.update("UPDATE import_batch SET next_poll_at = ?, polls = polls + 1 WHERE id = ?", Sql.ts(at), batchId);
    }

    /** Every device of the batch is final: it waits for its clean-up, or is done when there is none. */
    public void batchSettled(long batchId, boolean cleanUp) {
        jdbc.update("UPDATE import_batch SET status = ?, finished_at = ? WHERE id = ?",
                cleanUp ? ImportBatch.CLEANING : ImportBatch.DONE, Sql.now(), batchId);
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

    /** Makes every batch being followed due now; returns how many there are. */
    public int pollAllNow() {
        return jdbc.update("UPDATE import_batch SET next_poll_at = ? WHERE status = ?", Sql.now(), ImportBatch.TRACKING);
    }
}
