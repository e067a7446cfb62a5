package org.autopilotbridge.ledger;

import java.util.Optional;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * A file whose content was received before: it is not imported again, and each of its lines says how that line
 * ended in the earlier run.
 */
@Component
public class DuplicateFiles {

    private final JdbcTemplate jdbc;
    private final NamedParameterJdbcTemplate named;

    DuplicateFiles(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
        this.named = new NamedParameterJdbcTemplate(jdbc);
    }

    /**
     * The earlier run of a file with this content for the same tenant, if one was accepted; a dry run counts only for
     * dry runs. The same file for another tenant is that tenant's devices, imported there.
     */
    public Optional<HashFile> earlierRun(String sha256, boolean dryRun, String tenant) {
        return jdbc.query("""
                SELECT * FROM hash_file WHERE sha256 = ? AND tenant = ? AND status IN (?, ?) AND (dry_run = FALSE OR ?)
                ORDER BY id LIMIT 1""", FileLedger.HASH_FILE, sha256, tenant, FileStatus.RECORDED.name(), FileStatus.FINISHED.name(),
                dryRun).stream().findFirst();
    }

    /**
     * Records every line of a file that repeats an earlier one as a duplicate of that run, with its outcome there, in
     * one pass over the earlier lines: the wording of each outcome is given from here, so that it stays in Java and
     * the copy in the database.
     */
    public void copyAsDuplicate(long fileId, HashFile earlier) {
        String sameContent = "same content as " + earlier.name() + " (file #" + earlier.id() + ", received "
                + earlier.receivedAt() + "), not imported again; outcome there: ";
        MapSqlParameterSource parameters = new MapSqlParameterSource("file", fileId).addValue("duplicate", Outcome.DUPLICATE.name())
                .addValue("earlier", earlier.id()).addValue("inProgress", sameContent + "still in progress");
        StringBuilder detail = new StringBuilder("CASE " + LineOutcomes.OUTCOME);
        for (Outcome outcome : Outcome.values()) {
            detail.append(" WHEN '").append(outcome.name()).append("' THEN :").append(outcome.name());
            parameters.addValue(outcome.name(), sameContent + outcome.label());
        }
        detail.append(" ELSE :inProgress END");
        named.update("INSERT INTO device (file_id, line_no, serial_number, outcome, detail) SELECT :file, d.line_no, d.serial_number, "
                + ":duplicate, " + detail + " FROM device d" + LineOutcomes.BATCH + " WHERE d.file_id = :earlier", parameters);
    }
}
