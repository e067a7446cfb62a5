package org.autopilotbridge.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import org.autopilotbridge.testing.PostgresLedger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.autopilotbridge.testing.ServiceFolders;

/**
 * What the ledger reads for one Prometheus scrape (each tenant's devices by outcome and pending, and files) and for
 * the MBean's totals, on a PostgreSQL ledger holding many finished lines and a few in flight: only the lines in flight,
 * not every device.
 * Counted by PostgreSQL itself for the scrape's transaction (pg_stat_get_xact_tuples_returned): rows the scans of
 * the device table and of its indexes returned, whatever plan it chose.
 */
class ScrapeCostIT {

    private static final int FINISHED_FILES = 200;
    private static final int LINES_PER_FILE = 1_000;
    private static final int FINISHED_LINES = FINISHED_FILES * LINES_PER_FILE;
    private static final int LINES_IN_FLIGHT = 50;

    @RegisterExtension
    static final PostgresLedger LEDGER = new PostgresLedger(2);

    @Test
    void aScrapeReadsTheLinesOfFilesInFlightAloneYetCountsEveryDevice(@TempDir Path dir) throws Exception {
        JdbcTemplate jdbc = LEDGER.jdbc();
        HashSpool hashes = ServiceFolders.hashSpool(dir);
        ProfileLedger profiles = new ProfileLedger(jdbc, LEDGER.dialect(), PostgresLedger.instance("a"), Duration.ZERO, Duration.ZERO);
        DeviceLedger devices = new DeviceLedger(jdbc, new UpdateLedger(jdbc, LEDGER.dialect(), PostgresLedger.instance("a"), profiles),
                new BatchLedger(jdbc, LEDGER.dialect(), PostgresLedger.instance("a")), profiles, hashes);
        FileLedger files = new FileLedger(jdbc, LEDGER.dialect(), PostgresLedger.instance("a"), hashes);
        // Many files, as a ledger of that size is: the planner estimates a file's lines from how many files there are.
        for (int file = 1; file <= FINISHED_FILES; file++) {
            long finished = LEDGER.recordedFile("finished-" + file + ".csv");
            jdbc.update("""
                    INSERT INTO device (file_id, line_no, serial_number, serial_key, outcome)
                    SELECT ?, n, 'SN' || n, 'SN' || n, CASE WHEN n % 10 = 0 THEN 'FAILED' ELSE 'IMPORTED' END
                    FROM generate_series(2, ?) n""", finished, LINES_PER_FILE + 1);
            files.fileFinished(finished, devices.outcomeCounts(finished));
        }
        long inFlight = LEDGER.recordedFile("in-flight.csv");
        jdbc.update("""
                INSERT INTO device (file_id, line_no, serial_number, serial_key, outcome)
                SELECT ?, n, 'F' || n, 'F' || n, CASE WHEN n % 2 = 0 THEN 'IMPORTED' END FROM generate_series(2, ?) n""",
                inFlight, LINES_IN_FLIGHT + 1);
        jdbc.execute("ANALYZE");

        Map<String, Long> scrape = new HashMap<>();
        Map<String, TenantCounts.Counts> perTenant = new HashMap<>();
        long deviceRowsRead = new TransactionTemplate(new DataSourceTransactionManager(LEDGER.dataSource())).execute(status -> {
            // Counted from the start of the transaction: the session's counts of earlier statements may not be sent yet.
            long before = deviceRowsReturned(jdbc);
            for (Outcome outcome : Outcome.values()) {
                scrape.put(outcome.name(), devices.deviceCount(outcome));
            }
            scrape.put("pending", devices.pendingDeviceCount());
            files.fileCountsByStatus();
            files.fileProgress();
            // What the per-tenant gauges read.
            perTenant.putAll(new TenantCounts(jdbc).byTenant());
            return deviceRowsReturned(jdbc) - before;
        });

        assertThat(scrape).containsEntry("IMPORTED", FINISHED_LINES * 9 / 10 + LINES_IN_FLIGHT / 2L)
                .containsEntry("FAILED", FINISHED_LINES / 10L).containsEntry("pending", LINES_IN_FLIGHT / 2L);
        TenantCounts.Counts single = perTenant.get("default");
        assertThat(single.devices(Outcome.IMPORTED)).isEqualTo(FINISHED_LINES * 9 / 10 + LINES_IN_FLIGHT / 2L);
        assertThat(single.devices(Outcome.FAILED)).isEqualTo(FINISHED_LINES / 10L);
        assertThat(single.pending()).isEqualTo(LINES_IN_FLIGHT / 2L);
        assertThat(deviceRowsRead).as("device rows one scrape read, of " + (FINISHED_LINES + LINES_IN_FLIGHT))
                .isLessThan(20L * LINES_IN_FLIGHT);
    }

    /** Rows this session's scans of the device table and of each of its indexes returned, as PostgreSQL counts them. */
    private static long deviceRowsReturned(JdbcTemplate jdbc) {
        return jdbc.queryForObject("""
                SELECT SUM(pg_stat_get_xact_tuples_returned(c.oid)) FROM pg_class c WHERE c.oid = 'device'::regclass
                    OR c.oid IN (SELECT indexrelid FROM pg_index WHERE indrelid = 'device'::regclass)""", Long.class);
    }
}
