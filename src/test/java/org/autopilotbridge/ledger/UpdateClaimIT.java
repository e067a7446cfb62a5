package org.autopilotbridge.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.autopilotbridge.testing.PostgresLedger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * How updates of registered devices are claimed, on a real PostgreSQL ledger: a chunk takes one due update of each
 * file in turn, so a large re-tag spreadsheet does not hold back a file dropped after it, and stays full while any
 * file has more.
 */
class UpdateClaimIT {

    @RegisterExtension
    static final PostgresLedger LEDGER = new PostgresLedger(2);

    @Test
    void eachFileWithUpdatesDueHasItsTurnInEveryChunk() throws Exception {
        dueUpdates("bulk.csv", "BULK", 100);
        dueUpdates("late.csv", "LATE", 3);
        UpdateLedger ledger = new UpdateLedger(LEDGER.jdbc(), LEDGER.dialect(), PostgresLedger.instance("node-1"),
                new ProfileLedger(LEDGER.jdbc(), LEDGER.dialect(), PostgresLedger.instance("node-1"), Duration.ZERO, Duration.ZERO));

        List<List<String>> chunks = new ArrayList<>();
        for (Optional<UpdateChunk> chunk = ledger.claimNext(20, "default"); chunk.isPresent(); chunk = ledger.claimNext(20, "default")) {
            chunks.add(chunk.get().updates().stream().map(DeviceUpdate::serialNumber).toList());
        }

        assertThat(chunks.get(0)).as("the later file's updates in the first chunk").hasSize(20)
                .contains("LATE-1", "LATE-2", "LATE-3").contains("BULK-1", "BULK-17");
        assertThat(chunks).as("full chunks while updates are due").extracting(List::size).containsExactly(20, 20, 20, 20, 20, 3);
        assertThat(chunks.stream().flatMap(List::stream)).as("each update claimed once").doesNotHaveDuplicates().hasSize(103);
    }

    /** A recorded file of {@code count} update-only lines, each update due to be looked up. */
    private static void dueUpdates(String name, String prefix, int count) {
        JdbcTemplate jdbc = LEDGER.jdbc();
        long fileId = LEDGER.recordedFile(name);
        for (int line = 1; line <= count; line++) {
            String serial = prefix + "-" + line;
            jdbc.update("""
                    INSERT INTO device (file_id, line_no, serial_number, serial_key, group_tag, outcome, own_group_tag)
                    VALUES (?, ?, ?, ?, 'New', 'UPDATING', TRUE)""", fileId, line + 1, serial, serial);
            jdbc.update("""
                    INSERT INTO device_update (device_id, file_id, kind, serial_number, group_tag, status, attempts, next_try_at)
                    VALUES ((SELECT MAX(id) FROM device), ?, 'UPDATE_ONLY', ?, 'New', 'FIND', 0, CURRENT_TIMESTAMP - INTERVAL '1 minute')""",
                    fileId, serial);
        }
    }
}
