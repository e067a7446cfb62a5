package org.autopilotbridge.ledger;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The names finished and refused files take in the done and dead-letter folders: held in the ledger before anything
 * is written under them, so that two files of the same name, on this instance or another, never share one.
 */
@Component
public class ReportNames {

    private final JdbcTemplate jdbc;

    public ReportNames(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Holds {@code name} for the reports and original of file {@code fileId} (null: a refused file, held while it is
     * placed) in its source's done and dead-letter folders; true if the file holds it now, false if another does. An
     * insert that only one instance or thread can win; a file that chose its name before a crash holds it still.
     */
    public boolean reserve(Long fileId, String source, String name) {
        try {
            jdbc.update("INSERT INTO report_name (source, name, file_id) VALUES (?, ?, ?)", source, name, fileId);
            return true;
        } catch (DuplicateKeyException e) {
            return fileId != null && fileId.equals(jdbc.queryForObject(
                    "SELECT file_id FROM report_name WHERE source = ? AND name = ?", Long.class, source, name));
        }
    }

    /** A refused file is in place: the files on disk hold its name from now on. */
    public void release(String source, String name) {
        jdbc.update("DELETE FROM report_name WHERE source = ? AND name = ?", source, name);
    }

    /** The name the file's reports are written under, chosen once. */
    public void nameReports(long fileId, String reportName) {
        jdbc.update("UPDATE hash_file SET report_stem = ? WHERE id = ?", reportName, fileId);
    }
}
