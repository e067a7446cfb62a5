package org.autopilotbridge.ledger;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import org.autopilotbridge.ledger.HashSpool.HashSpan;
import org.flywaydb.core.api.migration.Context;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Ledger version 23: the hashes a ledger of an earlier version holds for files in flight move to their files' spools
 * ({@link HashSpool}), and the table that held them goes. A file finished or refused needs its hashes no more. Written
 * in Java because the spool is a folder, not a table.
 */
@Component
public class HashesToSpool extends LedgerJavaMigration {

    private static final int LINES_PER_STEP = 1000;

    private final HashSpool spool;

    public HashesToSpool(HashSpool spool) {
        super("23", "hashes of files in flight to their spools");
        this.spool = spool;
    }

    @Override
    public void migrate(Context context) {
        JdbcTemplate jdbc = jdbc(context);
        List<Long> files = jdbc.queryForList("""
                SELECT DISTINCT h.file_id FROM device_hash h JOIN hash_file f ON f.id = h.file_id
                WHERE f.status IN (?, ?) ORDER BY h.file_id""", Long.class, FileStatus.RECEIVING.name(), FileStatus.RECORDED.name());
        for (long fileId : files) {
            long after = 0;
            List<Map<String, Object>> step;
            do {
                step = jdbc.queryForList("SELECT line_no, hardware_hash FROM device_hash WHERE file_id = ? AND line_no > ? "
                        + "ORDER BY line_no LIMIT " + LINES_PER_STEP, fileId, after);
                String[] hashes = step.stream().map(row -> new String((byte[]) row.get("hardware_hash"),
                        StandardCharsets.ISO_8859_1)).toArray(String[]::new);
                HashSpan[] spans = spool.append(fileId, hashes);
                long[] lines = step.stream().mapToLong(row -> ((Number) row.get("line_no")).longValue()).toArray();
                jdbc.batchUpdate("UPDATE device SET hash_at = ?, hash_length = ? WHERE file_id = ? AND line_no = ?",
                        IntStream.range(0, lines.length).mapToObj(i -> new Object[] {spans[i].at(),
                                spans[i].length(), fileId, lines[i]}).toList());
                after = lines.length == 0 ? after : lines[lines.length - 1];
            } while (step.size() == LINES_PER_STEP);
        }
        jdbc.execute("DROP TABLE device_hash");
    }
}
