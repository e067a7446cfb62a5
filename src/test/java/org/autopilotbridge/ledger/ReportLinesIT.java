package org.autopilotbridge.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.autopilotbridge.testing.PostgresLedger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.autopilotbridge.testing.ServiceFolders;

/**
 * A large file's report lines on PostgreSQL come from a cursor the server keeps open while they are written, a fetch
 * size of rows at a time, instead of the driver loading every line into memory before the first is handed on.
 */
class ReportLinesIT {

    private static final int LINES = 5_000;

    @RegisterExtension
    static final PostgresLedger LEDGER = new PostgresLedger(2);

    @Test
    void handsOnTheLinesWhileTheServerStillHoldsTheRestInAnOpenCursor(@TempDir Path dir) {
        JdbcTemplate jdbc = LEDGER.jdbc();
        long fileId = LEDGER.recordedFile("large.csv");
        jdbc.update("""
                INSERT INTO device (file_id, line_no, serial_number, outcome)
                SELECT ?, n, 'SN' || n, 'IMPORTED' FROM generate_series(2, ?) n""", fileId, LINES + 1);
        ReportLines reportLines = new ReportLines(jdbc, new DataSourceTransactionManager(LEDGER.dataSource()),
                ServiceFolders.hashSpool(dir));
        List<Long> lines = new ArrayList<>();
        List<String> openCursors = new ArrayList<>();

        reportLines.forEachResultLine(fileId, line -> {
            if (lines.isEmpty()) {
                // The same session as the read (the transaction's connection): what the server still holds for it.
                openCursors.addAll(jdbc.queryForList("SELECT statement FROM pg_cursors", String.class));
            }
            lines.add(line.line());
        });

        assertThat(openCursors).as("a cursor over the file's lines, open while the first one is handed on")
                .anySatisfy(statement -> assertThat(statement).contains("FROM device d").contains("WHERE d.file_id"));
        assertThat(lines).hasSize(LINES).startsWith(2L, 3L).endsWith((long) LINES + 1);
    }
}
