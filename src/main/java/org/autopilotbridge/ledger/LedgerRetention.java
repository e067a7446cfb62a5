package org.autopilotbridge.ledger;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.autopilotbridge.config.ImportProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Keeps the ledger to {@code autopilot.retention}: files finished or refused longer ago go with their devices,
 * batches and updates, as do failed attempts at a file's content and instances not seen for as long. Called by the
 * retention route; see {@link ImportProperties#getRetention()} for what an admin sees.
 */
@Component("ledgerRetention")
public class LedgerRetention {

    /** Lines deleted per statement: H2 keeps a transaction's deleted rows in its undo log until it ends. */
    static final int LINES_PER_DELETE = 10_000;
    private static final Logger LOG = LoggerFactory.getLogger(LedgerRetention.class);

    /** A minute after start, off the busy first seconds of a restart; then every hour. */
    private static final Duration FIRST = Duration.ofMinutes(1);
    private static final Duration EVERY = Duration.ofHours(1);

    private final JdbcTemplate jdbc;
    private final ImportProperties properties;
    private final HashSpool hashes;
    private volatile Instant due = Instant.now().plus(FIRST);

    LedgerRetention(JdbcTemplate jdbc, ImportProperties properties, HashSpool hashes) {
        this.jdbc = jdbc;
        this.hashes = hashes;
        this.properties = properties;
    }

    /**
     * Removes what is older than the retention when an hour has passed since the last time (the backstop wakes this
     * every few seconds); returns how many files went.
     */
    public int purgeIfDue() {
        Instant now = Instant.now();
        if (now.isBefore(due)) {
            return 0;
        }
        due = now.plus(EVERY);
        return purge();
    }

    /** Removes what is older than the retention; returns how many files went. */
    public int purge() {
        Timestamp before = Timestamp.from(Instant.now().minus(properties.getRetention()));
        // Files whose purge was interrupted come again: they are PURGING already.
        List<Long> expired = jdbc.queryForList("""
                SELECT f.id FROM hash_file f
                WHERE (f.status IN (?, ?) AND f.finished_at < ? OR f.status = ?)
                  AND NOT EXISTS (SELECT 1 FROM import_batch b WHERE b.file_id = f.id AND b.status <> ?)
                  AND NOT EXISTS (SELECT 1 FROM device_update u WHERE u.file_id = f.id AND u.finished_at IS NULL)
                  AND NOT EXISTS (SELECT 1 FROM profile_follow p WHERE p.file_id = f.id AND p.finished_at IS NULL)
                ORDER BY f.id""", Long.class, FileStatus.FINISHED.name(), FileStatus.REFUSED.name(), before, FileStatus.PURGING.name(),
                BatchStatus.DONE.name());
        expired.forEach(this::remove);
        int attempts = jdbc.update("DELETE FROM ingest_attempt WHERE last_at < ?", before);
        int instances = jdbc.update("DELETE FROM service_instance WHERE heartbeat_at < ?", before);
        // Vendors' files remembered as fetched are kept (a row each): one still on a read-only folder would otherwise
        // be fetched and imported again once its file row is gone.
        if (!expired.isEmpty() || attempts > 0 || instances > 0) {
            LOG.info("Removed from the ledger what is older than autopilot.retention ({}): {} file(s) with their lines, "
                    + "{} failed attempt(s) at a file, {} instance(s) no longer seen", properties.getRetention(),
                    expired.size(), attempts, instances);
        }
        return expired.size();
    }

    /**
     * First marked PURGING, so that duplicate detection no longer takes a file half removed for an earlier run; its
     * lines then go a range at a time, and the file last.
     */
    private void remove(long fileId) {
        jdbc.update("UPDATE hash_file SET status = ? WHERE id = ?", FileStatus.PURGING.name(), fileId);
        jdbc.update("DELETE FROM device_update WHERE file_id = ?", fileId);
        jdbc.update("DELETE FROM profile_follow WHERE file_id = ?", fileId);
        for (Long last = lastOfFirstLines(fileId); last != null; last = lastOfFirstLines(fileId)) {
            jdbc.update("DELETE FROM device WHERE file_id = ? AND line_no <= ?", fileId, last);
        }
        jdbc.update("DELETE FROM import_batch WHERE file_id = ?", fileId);
        jdbc.update("DELETE FROM hash_file WHERE id = ?", fileId);
        // A file finished by an instance stopped before it dropped the hashes.
        hashes.drop(fileId);
    }

    private Long lastOfFirstLines(long fileId) {
        return jdbc.queryForObject("SELECT MAX(line_no) FROM (SELECT line_no FROM device WHERE file_id = ? ORDER BY file_id, line_no "
                + "LIMIT " + LINES_PER_DELETE + ") first_lines", Long.class, fileId);
    }
}
