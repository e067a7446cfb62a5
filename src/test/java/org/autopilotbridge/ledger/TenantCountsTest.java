package org.autopilotbridge.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;

import org.autopilotbridge.testing.H2Ledger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Each tenant's files and devices as the metrics and the MBean read them, in the embedded ledger: a finished file's
 * devices are added to its own tenant's totals only, and a file in flight counts its final lines and its pending ones
 * in its tenant.
 */
class TenantCountsTest {

    @TempDir
    Path dir;

    private JdbcTemplate jdbc;
    private FileLedger files;
    private DeviceLedger devices;
    private TenantCounts counts;

    @BeforeEach
    void ledger() throws Exception {
        H2Ledger ledger = H2Ledger.open(dir);
        jdbc = ledger.jdbc();
        files = ledger.files();
        devices = ledger.devices();
        counts = new TenantCounts(jdbc);
    }

    @Test
    void countsEachTenantsFilesAndDevicesApart() {
        long contoso = fileWith("contoso", "IMPORTED", "IMPORTED", "FAILED");
        files.fileFinished(contoso, devices.outcomeCounts(contoso));
        files.refuseFile(files.startFile("bad.csv", "inbox", "cd".repeat(32), 10, "UTF-8", false, "contoso"), "no header");
        fileWith("fabrikam", "IMPORTED", null, "UPDATING");
        long fabrikamDone = fileWith("fabrikam", "ALREADY_REGISTERED");
        files.fileFinished(fabrikamDone, devices.outcomeCounts(fabrikamDone));
        // Finishing twice adds nothing: a file's devices are counted once.
        files.fileFinished(fabrikamDone, devices.outcomeCounts(fabrikamDone));

        Map<String, TenantCounts.Counts> byTenant = counts.byTenant();

        assertThat(byTenant).containsKeys("contoso", "fabrikam");
        TenantCounts.Counts contosoCounts = byTenant.get("contoso");
        assertThat(contosoCounts.files(FileStatus.FINISHED)).isEqualTo(1);
        assertThat(contosoCounts.files(FileStatus.REFUSED)).isEqualTo(1);
        assertThat(contosoCounts.filesInFlight()).isZero();
        assertThat(contosoCounts.devices()).containsOnly(Map.entry(Outcome.IMPORTED, 2L), Map.entry(Outcome.FAILED, 1L));
        assertThat(contosoCounts.pending()).isZero();
        TenantCounts.Counts fabrikamCounts = byTenant.get("fabrikam");
        assertThat(fabrikamCounts.files(FileStatus.FINISHED)).isEqualTo(1);
        assertThat(fabrikamCounts.filesInFlight()).isEqualTo(1);
        assertThat(fabrikamCounts.devices()).containsOnly(Map.entry(Outcome.IMPORTED, 1L), Map.entry(Outcome.ALREADY_REGISTERED, 1L));
        assertThat(fabrikamCounts.pending()).as("a line without an outcome and one being updated").isEqualTo(2);
        assertThat(jdbc.queryForList("SELECT tenant, outcome, devices FROM outcome_total WHERE devices > 0 ORDER BY tenant, outcome"))
                .containsExactly(row("contoso", "FAILED", 1), row("contoso", "IMPORTED", 2), row("fabrikam", "ALREADY_REGISTERED", 1));
    }

    @Test
    void keepsCountingATenantWhoseFilesRetentionRemoved() {
        long old = fileWith("contoso", "IMPORTED");
        files.fileFinished(old, devices.outcomeCounts(old));
        jdbc.update("DELETE FROM device WHERE file_id = ?", old);
        jdbc.update("DELETE FROM hash_file WHERE id = ?", old);

        TenantCounts.Counts contoso = counts.byTenant().get("contoso");

        assertThat(contoso.devices(Outcome.IMPORTED)).isEqualTo(1);
        assertThat(contoso.files()).isEmpty();
    }

    /** A file of the tenant whose lines have these outcomes (null: not final yet), as its stages leave them. */
    private long fileWith(String tenant, String... outcomes) {
        long file = files.startFile(tenant + ".csv", "inbox", "ab".repeat(32), 100, "UTF-8", false, tenant);
        for (int i = 0; i < outcomes.length; i++) {
            jdbc.update("INSERT INTO device (file_id, line_no, serial_number, serial_key, outcome, tenant) VALUES (?, ?, ?, ?, ?, ?)",
                    file, i + 2, tenant + i, tenant + i, outcomes[i], tenant);
        }
        return file;
    }

    private static Map<String, Object> row(String tenant, String outcome, long devices) {
        return Map.of("TENANT", tenant, "OUTCOME", outcome, "DEVICES", devices);
    }
}
