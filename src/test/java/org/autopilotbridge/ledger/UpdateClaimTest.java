package org.autopilotbridge.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import com.zaxxer.hikari.HikariDataSource;

import org.autopilotbridge.AutopilotProperties;
import org.autopilotbridge.testing.Postgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * How updates of registered devices are claimed, on a real PostgreSQL ledger: a chunk takes one due update of each
 * file in turn, so a large re-tag spreadsheet does not hold back a file dropped after it, and stays full while any
 * file has more.
 */
class UpdateClaimTest {

    private static HikariDataSource database;
    private static JdbcTemplate jdbc;

    @BeforeAll
    static void ledger() {
        database = Postgres.newLedger(2);
        jdbc = new JdbcTemplate(database);
    }

    @AfterAll
    static void close() {
        database.close();
    }

    @Test
    void eachFileWithUpdatesDueHasItsTurnInEveryChunk() throws Exception {
        dueUpdates("bulk.csv", "BULK", 100);
        dueUpdates("late.csv", "LATE", 3);
        AutopilotProperties properties = new AutopilotProperties();
        properties.getCluster().setInstanceId("node-1");
        UpdateLedger ledger = new UpdateLedger(jdbc, new LedgerDialect(database), new ThisInstance(properties));

        List<List<String>> chunks = new ArrayList<>();
        for (Optional<UpdateChunk> chunk = ledger.claimNext(20); chunk.isPresent(); chunk = ledger.claimNext(20)) {
            chunks.add(chunk.get().updates().stream().map(DeviceUpdate::serialNumber).toList());
        }

        assertThat(chunks.get(0)).as("the later file's updates in the first chunk").hasSize(20)
                .contains("LATE-1", "LATE-2", "LATE-3").contains("BULK-1", "BULK-17");
        assertThat(chunks).as("full chunks while updates are due").extracting(List::size).containsExactly(20, 20, 20, 20, 20, 3);
        assertThat(chunks.stream().flatMap(List::stream)).as("each update claimed once").doesNotHaveDuplicates().hasSize(103);
    }

    /** A recorded file of {@code count} update-only lines, each update due to be looked up. */
    private static void dueUpdates(String name, String prefix, int count) {
        jdbc.update("""
                INSERT INTO hash_file (name, source, sha256, size_bytes, status, dry_run, received_at)
                VALUES (?, 'inbox', ?, 1, 'RECORDED', FALSE, CURRENT_TIMESTAMP)""", name, "0".repeat(64));
        long fileId = jdbc.queryForObject("SELECT MAX(id) FROM hash_file", Long.class);
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
