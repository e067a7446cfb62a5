package org.autopilotbridge.ledger;

import java.sql.Types;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.jdbc.support.KeyHolder;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * The files the service received, from the drop folder and the vendors: their status from receiving to finished or
 * refused, and where each waits. The names of their reports are held in {@link ReportNames}, and a file that repeats
 * an earlier one is told apart in {@link DuplicateFiles}.
 */
@Component
public class FileLedger {

    static final RowMapper<HashFile> HASH_FILE = (rs, n) -> new HashFile(rs.getLong("id"),
            rs.getString("name"), rs.getString("source"), rs.getString("sha256"), FileStatus.of(rs.getString("status")),
            rs.getBoolean("dry_run"), rs.getString("stored_path"), rs.getString("report_stem"), Sql.instant(rs, "received_at"),
            (Long) rs.getObject("unread_from", Long.class), rs.getString("status_detail"), rs.getString("tenant"));

    /** Gives the file's lease back, in the same update that records the step's result. */
    private static final String RELEASE = ", lease_owner = NULL, lease_until = NULL WHERE id = ?";

    private final JdbcTemplate jdbc;
    private final NamedParameterJdbcTemplate named;
    private final LedgerDialect dialect;
    private final ThisInstance instance;
    private final HashSpool hashes;

    public FileLedger(JdbcTemplate jdbc, LedgerDialect dialect, ThisInstance instance, HashSpool hashes) {
        this.jdbc = jdbc;
        this.hashes = hashes;
        this.named = new NamedParameterJdbcTemplate(jdbc);
        this.dialect = dialect;
        this.instance = instance;
    }

    public long startFile(String name, String source, String sha256, long sizeBytes, String encoding, boolean dryRun,
                          String tenant) {
        KeyHolder key = new GeneratedKeyHolder();
        // Leased to this instance while it reads the file.
        named.update("""
                INSERT INTO hash_file (name, source, sha256, size_bytes, encoding, status, dry_run, received_at, tenant,
                                       lease_owner, lease_until)
                VALUES (:name, :source, :sha256, :size, :encoding, :status, :dryRun, :now, :tenant, :owner, """
                + dialect.nowPlus(instance.lease()) + ")", new MapSqlParameterSource("name", name).addValue("source", source)
                .addValue("sha256", sha256).addValue("size", sizeBytes).addValue("encoding", encoding, Types.VARCHAR)
                .addValue("status", FileStatus.RECEIVING.name()).addValue("dryRun", dryRun).addValue("now", Sql.now())
                .addValue("tenant", tenant).addValue("owner", instance.id()), key, new String[] {"id"});
        long fileId = key.getKey().longValue();
        instance.workingOnFile(fileId);
        return fileId;
    }

    /** Where the file will wait while its devices are followed, known before it is moved there. */
    public void storeAt(long fileId, String storedPath) {
        jdbc.update("UPDATE hash_file SET stored_path = ? WHERE id = ?", storedPath, fileId);
    }

    /** The file is known by another name from now on (put back beside a file that arrived under its name). */
    public void rename(long fileId, String name) {
        jdbc.update("UPDATE hash_file SET name = ? WHERE id = ?", name, fileId);
    }

    /** True if the ledger knows a file at this path, whatever its state. */
    public boolean isKnownAt(String storedPath) {
        return !jdbc.queryForList("SELECT id FROM hash_file WHERE stored_path = ?", Long.class, storedPath).isEmpty();
    }

    /** True if a file recorded in the ledger waits at this path. */
    public boolean isStoredAt(String storedPath) {
        return !jdbc.queryForList("SELECT id FROM hash_file WHERE stored_path = ? AND status = ?", Long.class,
                storedPath, FileStatus.RECORDED.name()).isEmpty();
    }

    public List<HashFile> filesInStatus(FileStatus status) {
        return jdbc.query("SELECT * FROM hash_file WHERE status = ? ORDER BY id", HASH_FILE, status.name());
    }

    /** Forgets a file whose reading did not complete, so it can be read again from the start. */
    @Transactional
    public void discardFile(long fileId) {
        instance.doneWithFile(fileId);
        forgetLines(fileId);
        jdbc.update("DELETE FROM import_batch WHERE file_id = ?", fileId);
        jdbc.update("DELETE FROM hash_file WHERE id = ?", fileId);
    }

    private void forgetLines(long fileId) {
        jdbc.update("DELETE FROM device WHERE file_id = ?", fileId);
        hashes.dropOnCommit(fileId);
    }

    /** Counts a failed attempt at a file's content; returns how many there have been. */
    @Transactional
    public int failedAttempt(String sha256, String error) {
        int updated = jdbc.update("UPDATE ingest_attempt SET attempts = attempts + 1, last_error = ?, last_at = ? WHERE sha256 = ?",
                Sql.truncate(error, 2000), Sql.now(), sha256);
        if (updated == 0) {
            jdbc.update("INSERT INTO ingest_attempt (sha256, attempts, last_error, last_at) VALUES (?, 1, ?, ?)",
                    sha256, Sql.truncate(error, 2000), Sql.now());
        }
        return jdbc.queryForObject("SELECT attempts FROM ingest_attempt WHERE sha256 = ?", Integer.class, sha256);
    }

    /**
     * Seals a fully read file: it moves on to being followed and reported. In a dry run every valid line is final as
     * validated. (Duplicates and earlier registrations were marked chunk by chunk, as the lines were recorded.)
     */
    @Transactional
    public void sealFile(long fileId, boolean dryRun, String storedPath) {
        if (dryRun) {
            jdbc.update("UPDATE device SET outcome = ?, detail = 'dry run: valid, not sent' WHERE file_id = ? AND outcome IS NULL",
                    Outcome.VALIDATED.name(), fileId);
        }
        sealed(fileId);
        jdbc.update("UPDATE hash_file SET status = ?, stored_path = ?, recorded_at = ?" + RELEASE,
                FileStatus.RECORDED.name(), storedPath, Sql.now(), fileId);
    }

    /**
     * Seals a file that could be read only up to {@code unreadFrom}: what was recorded before goes on as usual, and
     * one rejected line stands for the rest, with the reason. Its reports go to dead-letter, beside the original.
     */
    @Transactional
    public void sealUnreadable(long fileId, long unreadFrom, String reason, String storedPath) {
        jdbc.update("""
                INSERT INTO device (file_id, line_no, outcome, detail) VALUES (?, ?, ?, ?)""", fileId, unreadFrom,
                Outcome.REJECTED.name(), Sql.truncate("file unreadable from line " + unreadFrom + ": " + reason, 2000));
        sealed(fileId);
        jdbc.update("UPDATE hash_file SET status = ?, stored_path = ?, recorded_at = ?, unread_from = ?, status_detail = ?"
                + RELEASE, FileStatus.RECORDED.name(), storedPath, Sql.now(), unreadFrom, Sql.truncate(reason, 2000), fileId);
    }

    /** No more lines of the file are recorded: its last batch can be sent, and its attempts are forgotten. */
    private void sealed(long fileId) {
        jdbc.update("UPDATE import_batch SET status = ? WHERE file_id = ? AND status = ?", BatchStatus.READY.name(), fileId,
                BatchStatus.FORMING.name());
        jdbc.update("DELETE FROM ingest_attempt WHERE sha256 = (SELECT sha256 FROM hash_file WHERE id = ?)", fileId);
        instance.doneWithFile(fileId);
    }

    /**
     * A file whose reading was interrupted (a restart, a passing failure, an instance that died) and goes on from its
     * last recorded line, leased to this instance from now on. Only one instance can be reading a dropped file (the
     * inbox's clustered read lock), so a record still being read under this name is one whose reader stopped.
     */
    @Transactional
    public Optional<HashFile> interruptedRead(String sha256, String name, String source, String tenant) {
        // The tenant's too: the same file dropped for two tenants at once is two files, each read by its own route.
        Optional<HashFile> interrupted = jdbc.query("""
                SELECT * FROM hash_file WHERE sha256 = ? AND name = ? AND source = ? AND tenant = ? AND status = ?
                ORDER BY id LIMIT 1 FOR UPDATE""", HASH_FILE, sha256, name, source, tenant, FileStatus.RECEIVING.name())
                .stream().findFirst();
        interrupted.ifPresent(file -> lease(file.id()));
        return interrupted;
    }

    /**
     * Files whose reading stopped and that nobody reads any more (their lease ran out), leased to this instance to
     * be put back: after a restart of the one embedded instance, every such file.
     */
    @Transactional
    public List<HashFile> claimAbandonedReads() {
        List<HashFile> abandoned = jdbc.query("SELECT * FROM hash_file WHERE status = ?"
                + " AND (lease_until IS NULL OR lease_until < CURRENT_TIMESTAMP) ORDER BY id" + dialect.skipLocked(), HASH_FILE,
                FileStatus.RECEIVING.name());
        // Taken only while still abandoned: never a lease its reader renewed a moment ago.
        List<HashFile> claimed = abandoned.stream().filter(file -> jdbc.update("UPDATE hash_file SET lease_owner = ?, "
                + "lease_until = " + dialect.nowPlus(instance.lease()) + " WHERE id = ? AND status = ? AND (lease_until IS NULL"
                + " OR lease_until < CURRENT_TIMESTAMP)", instance.id(), file.id(), FileStatus.RECEIVING.name()) == 1).toList();
        claimed.forEach(file -> instance.workingOnFile(file.id()));
        return claimed;
    }

    /**
     * Gives a file's lease back without changing it: another instance may now go on with it. A lease another instance
     * took meanwhile (it went on reading the file) stays its own.
     */
    public void release(long fileId) {
        instance.doneWithFile(fileId);
        jdbc.update("UPDATE hash_file SET status = status" + RELEASE + " AND lease_owner = ?", fileId, instance.id());
    }

    private void lease(long fileId) {
        jdbc.update("UPDATE hash_file SET lease_owner = ?, lease_until = " + dialect.nowPlus(instance.lease())
                + " WHERE id = ?", instance.id(), fileId);
        instance.workingOnFile(fileId);
    }

    /** A file refused before anything of it was recorded, kept on record with its reason, under the tenant it came from. */
    public void recordRefusedFile(String name, String source, String sha256, long sizeBytes, String reason, String tenant) {
        named.update("""
                INSERT INTO hash_file (name, source, sha256, size_bytes, status, dry_run, received_at, finished_at, status_detail,
                                       tenant)
                VALUES (:name, :source, :sha256, :size, :status, FALSE, :now, :now, :reason, :tenant)""",
                new MapSqlParameterSource("name", name).addValue("source", source)
                        .addValue("sha256", sha256 == null ? "unknown" : sha256).addValue("size", sizeBytes)
                        .addValue("status", FileStatus.REFUSED.name()).addValue("now", Sql.now())
                        .addValue("reason", Sql.truncate(reason, 2000), Types.VARCHAR).addValue("tenant", tenant));
    }

    @Transactional
    public void refuseFile(long fileId, String reason) {
        forgetLines(fileId);
        instance.doneWithFile(fileId);
        jdbc.update("UPDATE hash_file SET status = ?, status_detail = ?, finished_at = ?" + RELEASE,
                FileStatus.REFUSED.name(), reason, Sql.now(), fileId);
    }

    /**
     * Recorded files with every line final (none on its way, none waiting for an update or a deployment profile) and
     * no batch still formed, sent or followed (a settled batch's lines without an outcome are imported, {@link
     * LineOutcomes}), leased to this instance to be reported (another instance reporting at once passes them over):
     * their reports can be written while Graph's staging records are still being deleted. Each condition on the lines
     * is one probe of device_pending; joined by OR they would read every line of the file.
     */
    @Transactional
    public List<HashFile> filesReadyToReport() {
        List<HashFile> ready = jdbc.query("""
                SELECT * FROM hash_file f WHERE f.status = ? AND (f.lease_until IS NULL OR f.lease_until < CURRENT_TIMESTAMP)
                  AND NOT EXISTS (SELECT 1 FROM device d WHERE d.file_id = f.id AND d.outcome IS NULL AND d.batch_id IS NULL)
                  AND NOT EXISTS (SELECT 1 FROM device d WHERE d.file_id = f.id AND d.outcome = ?)
                  AND NOT EXISTS (SELECT 1 FROM import_batch b WHERE b.file_id = f.id AND b.status IN (?, ?, ?, ?))
                  AND NOT EXISTS (SELECT 1 FROM profile_follow p WHERE p.file_id = f.id AND p.status = ?)
                ORDER BY f.id""" + dialect.skipLocked(), HASH_FILE, FileStatus.RECORDED.name(), Outcome.UPDATING.name(),
                BatchStatus.FORMING.name(), BatchStatus.READY.name(), BatchStatus.SENDING.name(), BatchStatus.TRACKING.name(),
                FollowStatus.FOLLOWING.name());
        ready.forEach(file -> lease(file.id()));
        return ready;
    }

    /** The file's reports are written: its hashes are no longer needed. */
    public void dropHashes(long fileId) {
        hashes.drop(fileId);
    }

    /**
     * The file is finished: its lines' outcomes ({@code counts}, as {@link DeviceLedger#outcomeCounts} gives them) are
     * added to the totals the metrics read, in the same transaction and only once, so that a scrape counts the lines of
     * files in flight alone.
     */
    @Transactional
    public void fileFinished(long fileId, Map<Outcome, Integer> counts) {
        // Its reports are on disk: they hold the name from now on.
        jdbc.update("DELETE FROM report_name WHERE file_id = ?", fileId);
        instance.doneWithFile(fileId);
        if (jdbc.update("UPDATE hash_file SET status = ?, finished_at = ?" + RELEASE + " AND status <> ?", FileStatus.FINISHED.name(),
                Sql.now(), fileId, FileStatus.FINISHED.name()) == 0) {
            return;
        }
        String tenant = jdbc.queryForObject("SELECT tenant FROM hash_file WHERE id = ?", String.class, fileId);
        counts.forEach((outcome, devices) -> {
            // An outcome the tenant has no total for yet (a new tenant, or one the migrations did not list) starts here.
            if (jdbc.update("UPDATE outcome_total SET devices = devices + ? WHERE tenant = ? AND outcome = ?", devices, tenant,
                    outcome.name()) == 0) {
                jdbc.update("INSERT INTO outcome_total (tenant, outcome, devices) VALUES (?, ?, ?)", tenant, outcome.name(), devices);
            }
        });
    }

    public Map<FileStatus, Long> fileCountsByStatus() {
        Map<FileStatus, Long> counts = new EnumMap<>(FileStatus.class);
        jdbc.query("SELECT status, COUNT(*) FROM hash_file GROUP BY status",
                (RowCallbackHandler) rs -> counts.put(FileStatus.of(rs.getString(1)), rs.getLong(2)));
        return counts;
    }

    /** One line per file in flight: name, source, lines final out of lines recorded. */
    public List<String> fileProgress() {
        return jdbc.query("""
                SELECT f.id, f.name, f.source, f.status, COUNT(d.id) AS lines,
                       COUNT(NULLIF(d.outcome, ?)) + (SELECT COALESCE(SUM(b.imported_unwritten), 0) FROM import_batch b
                                                      WHERE b.file_id = f.id) AS final_lines
                FROM hash_file f LEFT JOIN device d ON d.file_id = f.id
                WHERE f.status IN (?, ?) GROUP BY f.id, f.name, f.source, f.status ORDER BY f.id""",
                (rs, n) -> rs.getString("name") + " (#" + rs.getLong("id") + " from " + rs.getString("source") + ", "
                        + rs.getString("status").toLowerCase(java.util.Locale.ROOT) + "): " + rs.getLong("final_lines")
                        + " of " + rs.getLong("lines") + " lines final",
                Outcome.UPDATING.name(), FileStatus.RECEIVING.name(), FileStatus.RECORDED.name());
    }
}
