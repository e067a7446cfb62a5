package org.autopilotbridge.web;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.autopilotbridge.finish.ResultsWriter;
import org.autopilotbridge.ledger.FileStatus;
import org.autopilotbridge.ledger.HashFile;
import org.autopilotbridge.ledger.LineOutcomes;
import org.autopilotbridge.ledger.BatchStatus;
import org.autopilotbridge.ledger.Outcome;
import org.autopilotbridge.ledger.ResultLine;
import org.autopilotbridge.tenant.Tenant;
import org.autopilotbridge.tenant.Tenants;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.stereotype.Component;

/**
 * Reads the files and their lines from the ledger as the page and the API show them. It changes none of them; it only
 * links uploads to the files the inbox made of them first ({@link Uploads#link}), so that what it shows is current.
 */
@Component
class FileViews {

    private static final String FILES = """
            SELECT f.id, f.name, f.source, f.status, f.received_at, f.finished_at, f.report_stem, f.unread_from,
                   f.status_detail, f.dry_run, f.tenant, u.id AS upload_id
            FROM hash_file f LEFT JOIN web_upload u ON u.file_id = f.id
            """;

    private final JdbcTemplate jdbc;
    private final Uploads uploads;
    private final Tenants tenants;

    FileViews(JdbcTemplate jdbc, Uploads uploads, Tenants tenants) {
        this.jdbc = jdbc;
        this.uploads = uploads;
        this.tenants = tenants;
    }

    /** The newest files, at most {@code limit} of the ledger's, after the uploads still waiting in the inbox. */
    List<FileView> newest(int limit) {
        uploads.link();
        List<FileView> files = new ArrayList<>(uploads.waiting().stream().map(FileViews::waiting).toList());
        files.addAll(withCounts(jdbc.query(FILES + "WHERE f.status <> ? ORDER BY f.id DESC LIMIT ?", FileViews::row,
                FileStatus.PURGING.name(), limit)));
        return files;
    }

    /** A file by its id, or by its ledger number (an uploaded file's too). */
    Optional<FileView> find(String id) {
        uploads.link();
        if (id.chars().allMatch(Character::isDigit) && !id.isEmpty() && id.length() < 19) {
            return byNumber(Long.parseLong(id));
        }
        return uploads.find(id).flatMap(upload -> upload.fileId() == null ? Optional.of(waiting(upload)) : byNumber(upload.fileId()));
    }

    private Optional<FileView> byNumber(long fileNo) {
        return withCounts(jdbc.query(FILES + "WHERE f.id = ? AND f.status <> ?", FileViews::row, fileNo, FileStatus.PURGING.name()))
                .stream().findFirst();
    }

    /**
     * Up to {@code limit} of a file's lines after line {@code afterLine}, in line order; only those with
     * {@code outcome} when it is given ({@link OutcomeCounts#PENDING}: those still on their way).
     */
    List<ResultLine> lines(long fileNo, String outcome, long afterLine, int limit) {
        String sql = "SELECT d.id, d.line_no, d.serial_number, " + LineOutcomes.OUTCOME + " AS outcome, d.outcome AS own_outcome, "
                + "d.error_code, d.error_name, d.detail, d.registration_id, d.batch_id FROM device d" + LineOutcomes.BATCH
                + " WHERE d.file_id = ? AND d.line_no > ?";
        List<Object> arguments = new ArrayList<>(List.of(fileNo, afterLine));
        if (OutcomeCounts.PENDING.equals(outcome)) {
            sql += " AND (" + LineOutcomes.OUTCOME + " IS NULL OR d.outcome = ?)";
            arguments.add(Outcome.UPDATING.name());
        } else if (outcome != null) {
            sql += " AND " + LineOutcomes.OUTCOME + " = ?";
            arguments.add(outcome);
        }
        arguments.add(limit);
        LineOutcomes.RegistrationIds kept = new LineOutcomes.RegistrationIds(jdbc);
        // In the index's order, so H2 stops after the page instead of sorting every line of the file (ReportLines).
        return jdbc.query(sql + " ORDER BY d.file_id, d.line_no LIMIT ?", (rs, n) -> new ResultLine(rs.getLong("line_no"),
                rs.getString("serial_number"), rs.getString("outcome") == null ? null : Outcome.valueOf(rs.getString("outcome")),
                rs.getString("error_code"), rs.getString("error_name"), rs.getString("detail"), kept.of(rs.getString("own_outcome"),
                rs.getString("registration_id"), rs.getLong("id"), rs.getObject("batch_id", Long.class)), null), arguments.toArray());
    }

    /** Where the file's results are, once it has them: in its tenant's folders. */
    Optional<Path> results(FileView file) throws IOException {
        return file.hasResults() ? Optional.of(ResultsWriter.resultsFile(folders(file).done(), folders(file).deadLetter(),
                file.vendor() == null ? HashFile.DROP_FOLDER : file.vendor(), file.reportName(), file.unreadFrom() != null))
                : Optional.empty();
    }

    /** Where the file's failed rows are, once it has them. */
    Optional<Path> failedRows(FileView file) throws IOException {
        return file.hasResults() && file.counts().needingAction() > 0 ? Optional.of(ResultsWriter.failedRowsFile(
                folders(file).deadLetter(), file.vendor() == null ? HashFile.DROP_FOLDER : file.vendor(), file.reportName()))
                : Optional.empty();
    }

    private Tenant.Folders folders(FileView file) {
        return tenants.get(file.tenant()).folders();
    }

    /** The files' lines by outcome, and their states, in three queries for all of them. */
    private List<FileView> withCounts(List<Row> rows) {
        if (rows.isEmpty()) {
            return List.of();
        }
        long first = rows.stream().mapToLong(Row::fileNo).min().orElseThrow();
        long last = rows.stream().mapToLong(Row::fileNo).max().orElseThrow();
        Map<Long, OutcomeCounts> counts = new HashMap<>();
        Map<Long, Long> unsent = new HashMap<>();
        jdbc.query("""
                SELECT file_id, outcome, COUNT(*), COUNT(batch_id) FROM device WHERE file_id BETWEEN ? AND ?
                GROUP BY file_id, outcome""", (RowCallbackHandler) rs -> {
                    String outcome = rs.getString(2);
                    counts.computeIfAbsent(rs.getLong(1), f -> new OutcomeCounts()).add(outcome == null ? null : Outcome.valueOf(outcome), rs.getLong(3));
                    if (outcome == null) {
                        unsent.put(rs.getLong(1), rs.getLong(3) - rs.getLong(4));
                    }
                }, first, last);
        // Lines without an outcome of their own that their settled batches keep as imported are not on their way.
        jdbc.query("""
                SELECT file_id, SUM(imported_unwritten) FROM import_batch WHERE file_id BETWEEN ? AND ? AND imported_unwritten > 0
                GROUP BY file_id""", (RowCallbackHandler) rs -> {
                    OutcomeCounts file = counts.computeIfAbsent(rs.getLong(1), f -> new OutcomeCounts());
                    file.add(null, -rs.getLong(2));
                    file.add(Outcome.IMPORTED, rs.getLong(2));
                }, first, last);
        // Lines are recorded with the batch they will be sent in, so a file is importing while a batch of it is still
        // forming, ready or being sent.
        Set<Long> sending = new HashSet<>(jdbc.queryForList("""
                SELECT DISTINCT file_id FROM import_batch WHERE status IN (?, ?, ?) AND file_id BETWEEN ? AND ?""",
                Long.class, BatchStatus.FORMING.name(), BatchStatus.READY.name(), BatchStatus.SENDING.name(), first, last));
        return rows.stream().map(row -> row.view(counts.getOrDefault(row.fileNo(), new OutcomeCounts()),
                FileState.of(row.status(), unsent.getOrDefault(row.fileNo(), 0L), sending.contains(row.fileNo())))).toList();
    }

    private static FileView waiting(Uploads.Upload upload) {
        return new FileView(upload.id(), null, upload.name(), FileView.Source.UPLOAD, null, upload.uploadedAt(), null,
                FileState.WAITING, new OutcomeCounts(), null, null, false, null, null);
    }

    /** A file's row, before its lines are counted. */
    private record Row(long fileNo, String name, String source, FileStatus status, Instant received, Instant finished,
                       String reportName, Long unreadFrom, String detail, boolean dryRun, String tenant, String uploadId) {

        FileView view(OutcomeCounts counts, FileState state) {
            boolean dropped = HashFile.DROP_FOLDER.equals(source);
            FileView.Source from = uploadId != null ? FileView.Source.UPLOAD : dropped ? FileView.Source.INBOX : FileView.Source.VENDOR;
            String reason = state == FileState.REFUSED || unreadFrom != null ? detail : null;
            return new FileView(uploadId != null ? uploadId : Long.toString(fileNo), fileNo, name, from, dropped ? null : source,
                    received, finished, state, counts, reason, unreadFrom, dryRun, reportName, tenant);
        }
    }

    private static Row row(ResultSet rs, int n) throws SQLException {
        return new Row(rs.getLong("id"), rs.getString("name"), rs.getString("source"), FileStatus.of(rs.getString("status")),
                instant(rs.getTimestamp("received_at")), instant(rs.getTimestamp("finished_at")), rs.getString("report_stem"),
                rs.getObject("unread_from", Long.class), rs.getString("status_detail"), rs.getBoolean("dry_run"),
                rs.getString("tenant"), rs.getString("upload_id"));
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }
}
