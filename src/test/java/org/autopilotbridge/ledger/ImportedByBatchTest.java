package org.autopilotbridge.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.autopilotbridge.config.FolderProperties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;

/**
 * Lines whose settled batch keeps them as imported (no outcome of their own on their rows, BatchLedger#batchSettled):
 * every reader of a line's outcome finds them imported, with their registration ids, and nothing counts them twice or
 * as on their way.
 */
class ImportedByBatchTest {

    @TempDir
    Path folder;

    @Test
    void aLineItsSettledBatchKeepsAsImportedIsImportedToEveryReader() {
        try (LedgerOnDisk ledger = new LedgerOnDisk(folder)) {
            JdbcTemplate jdbc = ledger.jdbc();
            long monday = ledger.startFile("monday.csv", 300);
            long settled = batch(jdbc, monday, 1, BatchStatus.CLEANING);
            long sn1 = device(jdbc, monday, 2, "SN-1", null, settled);
            device(jdbc, monday, 3, "SN-2", null, settled);
            device(jdbc, monday, 4, "SN-3", Outcome.FAILED, settled);
            jdbc.update("UPDATE import_batch SET imported_unwritten = 2, registration_ids = ? WHERE id = ?",
                    GraphAnswer.encode(Map.of(sn1, "reg-1")), settled);
            long tuesday = ledger.startFile("tuesday.csv", 100);
            device(jdbc, tuesday, 2, "SN-4", null, batch(jdbc, tuesday, 1, BatchStatus.TRACKING));

            DeviceLedger devices = ledger.devices();
            assertThat(devices.outcomeCounts(monday)).containsExactlyInAnyOrderEntriesOf(Map.of(Outcome.IMPORTED, 2, Outcome.FAILED, 1));
            assertThat(devices.deviceCount(Outcome.IMPORTED)).isEqualTo(2);
            assertThat(devices.pendingDeviceCount()).as("SN-4 alone is on its way").isEqualTo(1);
            TenantCounts.Counts tenant = new TenantCounts(jdbc).byTenant().get("default");
            assertThat(tenant.devices()).containsEntry(Outcome.IMPORTED, 2L).containsEntry(Outcome.FAILED, 1L);
            assertThat(tenant.pending()).isEqualTo(1);
            assertThat(ledger.files().fileProgress()).containsExactly("monday.csv (#" + monday + " from inbox, receiving): 3 of 3 lines final",
                    "tuesday.csv (#" + tuesday + " from inbox, receiving): 0 of 1 lines final");

            List<String> results = new ArrayList<>();
            FolderProperties folders = new FolderProperties();
            folders.setDataDir(folder);
            new ReportLines(jdbc, new DataSourceTransactionManager(jdbc.getDataSource()), new HashSpool(folders))
                    .forEachResultLine(monday, line -> results.add(line.serialNumber() + " " + line.outcome() + " " + line.registrationId()));
            assertThat(results).containsExactly("SN-1 IMPORTED reg-1", "SN-2 IMPORTED null", "SN-3 FAILED null");

            HashFile earlier = ledger.files().filesInStatus(FileStatus.RECEIVING).get(0);
            long again = ledger.startFile("monday-again.csv", 300);
            new DuplicateFiles(jdbc).copyAsDuplicate(again, earlier);
            List<String> copied = jdbc.queryForList("SELECT detail FROM device WHERE file_id = ? ORDER BY line_no", String.class, again);
            assertThat(copied).hasSize(3);
            assertThat(copied.get(0)).endsWith("outcome there: " + Outcome.IMPORTED.label());
            assertThat(copied.get(1)).endsWith("outcome there: " + Outcome.IMPORTED.label());
            assertThat(copied.get(2)).endsWith("outcome there: " + Outcome.FAILED.label());

            long wednesday = ledger.startFile("wednesday.csv", 100);
            ledger.recordLines(wednesday, List.of(new RecordedLine(2, "SN-2", "SN-2", "T0Fh" + "A".repeat(100), null, null, null, null,
                    null, null, false)));
            assertThat(jdbc.queryForObject("SELECT outcome FROM device WHERE file_id = ?", String.class, wednesday))
                    .as("imported from an earlier file, so registered already").isEqualTo(Outcome.ALREADY_REGISTERED.name());
        }
    }

    private static long batch(JdbcTemplate jdbc, long fileId, int seq, BatchStatus status) {
        jdbc.update("""
                INSERT INTO import_batch (file_id, seq, import_id, status, created_at, tenant)
                VALUES (?, ?, ?, ?, CURRENT_TIMESTAMP, 'default')""", fileId, seq, "import-" + fileId + "-" + seq, status.name());
        return jdbc.queryForObject("SELECT id FROM import_batch WHERE file_id = ? AND seq = ?", Long.class, fileId, seq);
    }

    private static long device(JdbcTemplate jdbc, long fileId, long line, String serial, Outcome outcome, long batchId) {
        jdbc.update("""
                INSERT INTO device (file_id, line_no, serial_number, serial_key, outcome, batch_id, tenant)
                VALUES (?, ?, ?, ?, ?, ?, 'default')""", fileId, line, serial, serial, outcome == null ? null : outcome.name(), batchId);
        return jdbc.queryForObject("SELECT id FROM device WHERE file_id = ? AND line_no = ?", Long.class, fileId, line);
    }
}
