package org.autopilotbridge.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.autopilotbridge.testing.H2Ledger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A batch's devices are written once after their insert, with their outcome, in the embedded ledger as the service
 * opens it: Graph's answer to the import (each device's Graph id) is kept with the batch, not written to 500 rows; a
 * device Graph still reports pending under the id the ledger has costs no row write, however many polls see it so; one
 * that became final is written once with its Graph id, and so is one whose Graph id is new (an import answered before
 * a crash recorded it).
 */
class PolledDeviceWritesTest {

    private static final Duration POLL = Duration.ofSeconds(1);

    @TempDir
    Path dir;

    private JdbcTemplate jdbc;
    private TransactionTemplate transaction;
    private DeviceLedger devices;
    private BatchLedger batches;
    private FileLedger files;

    @BeforeEach
    void ledger() throws Exception {
        H2Ledger ledger = H2Ledger.open(dir);
        jdbc = ledger.jdbc();
        transaction = ledger.transaction();
        devices = ledger.devices();
        batches = ledger.batches();
        files = ledger.files();
    }

    @Test
    void aDeviceStillPendingCostsNoWriteAtAnyPoll() {
        long file = files.startFile("a.csv", "inbox", "ab".repeat(32), 100, "UTF-8", false, "default");
        transaction.executeWithoutResult(status -> devices.recordLines(file,
                List.of(valid(2, "S-2"), valid(3, "S-3"), valid(4, "S-4")), false, false, 3));
        long pending = deviceOf(file, 2);
        long completing = deviceOf(file, 3);
        long unanswered = deviceOf(file, 4);
        long batch = batches.claimFormed(Set.of("default")).orElseThrow().id();
        batches.batchSent(batch, Map.of(pending, "g-2", completing, "g-3"), POLL, POLL);

        assertThat(devices.pendingDevices(batch)).as("the tracker's view: each device with the id Graph answered")
                .extracting(PendingDevice::graphId).containsExactly("g-2", "g-3", null);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM device WHERE graph_id IS NOT NULL", Long.class))
                .as("device rows written for Graph's answer").isZero();
        for (int poll = 0; poll < 3; poll++) {
            // As the tracker reports them: the Graph id only when the ledger has none yet, or with an outcome.
            assertThat(devices.recordPolled(List.of(new PolledDevice(pending, null, "pending", null, null))))
                    .as("rows written at poll %d for a device still pending", poll).isZero();
        }
        assertThat(importStatus(pending)).as("a passing status is not stored").isNull();

        assertThat(devices.recordPolled(List.of(
                new PolledDevice(pending, null, "pending", null, null),
                new PolledDevice(completing, "g-3", "complete", "reg-3", DeviceOutcome.of(Outcome.IMPORTED, null)),
                new PolledDevice(unanswered, "g-4", "pending", null, null))))
                .as("only the device that became final and the one whose Graph id is new are written").isEqualTo(2);
        assertThat(jdbc.queryForList("SELECT graph_id FROM device WHERE file_id = ? ORDER BY line_no", String.class, file))
                .containsExactly(null, "g-3", "g-4");
        assertThat(devices.pendingDevices(batch)).extracting(PendingDevice::graphId).containsExactly("g-2", "g-4");
        assertThat(jdbc.queryForObject("SELECT outcome FROM device WHERE id = ?", String.class, completing)).isEqualTo("IMPORTED");
        assertThat(importStatus(completing)).isEqualTo("complete");
    }

    private long deviceOf(long file, long line) {
        return jdbc.queryForObject("SELECT id FROM device WHERE file_id = ? AND line_no = ?", Long.class, file, line);
    }

    private String importStatus(long device) {
        return jdbc.queryForObject("SELECT import_status FROM device WHERE id = ?", String.class, device);
    }

    private static RecordedLine valid(long line, String serial) {
        return new RecordedLine(line, serial, serial, "T0Fhash" + line, null, null, null, null, null, null, false);
    }
}
