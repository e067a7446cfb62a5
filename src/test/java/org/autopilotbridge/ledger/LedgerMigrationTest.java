package org.autopilotbridge.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;

import org.autopilotbridge.testing.ServiceFolders;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;

/** A ledger written by an earlier version keeps every hash it holds when the service is upgraded. */
class LedgerMigrationTest {

    @Test
    void movesHashesOfFilesInProgressIntoTheirOwnTable(@TempDir Path dir) {
        JdbcDataSource h2 = ledgerAt(dir, "3");
        JdbcTemplate jdbc = new JdbcTemplate(h2);
        jdbc.update("""
                INSERT INTO hash_file (id, name, source, sha256, size_bytes, status, dry_run, received_at)
                VALUES (1, 'a.csv', 'inbox', REPEAT('0', 64), 10, 'RECORDED', FALSE, CURRENT_TIMESTAMP)""");
        String hash = "QUJD".repeat(1000);
        jdbc.update("INSERT INTO device (file_id, line_no, serial_number, serial_key, hardware_hash) VALUES (1, 2, 'S-2', 'S-2', ?)", hash);
        jdbc.update("INSERT INTO device (file_id, line_no, serial_number, outcome, detail) VALUES (1, 3, 'S-3', 'REJECTED', 'bad')");

        Flyway.configure().dataSource(h2).locations(ServiceFolders.EMBEDDED_LEDGER_MIGRATIONS).load().migrate();

        assertThat(jdbc.queryForList("SELECT file_id, line_no, UTF8TOSTRING(hardware_hash) AS hardware_hash FROM device_hash"))
                .containsExactly(Map.of("FILE_ID", 1L, "LINE_NO", 2L, "HARDWARE_HASH", hash));
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM device", Integer.class)).isEqualTo(2);
        assertThat(jdbc.queryForObject("""
                SELECT COUNT(*) FROM information_schema.columns WHERE table_name = 'DEVICE' AND column_name = 'HARDWARE_HASH'""",
                Integer.class)).as("hash column left in device").isZero();
    }

    @Test
    void keepsTheDevicesCountedBeforeTenantsAsTheDefaultTenants(@TempDir Path dir) {
        JdbcDataSource h2 = ledgerAt(dir, "18");
        JdbcTemplate jdbc = new JdbcTemplate(h2);
        jdbc.update("UPDATE outcome_total SET devices = 7 WHERE outcome = 'IMPORTED'");

        Flyway.configure().dataSource(h2).locations(ServiceFolders.EMBEDDED_LEDGER_MIGRATIONS).load().migrate();

        assertThat(jdbc.queryForObject("SELECT devices FROM outcome_total WHERE tenant = 'default' AND outcome = 'IMPORTED'", Long.class))
                .isEqualTo(7);
        jdbc.update("INSERT INTO outcome_total (tenant, outcome, devices) VALUES ('contoso', 'IMPORTED', 0)");
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM outcome_total WHERE outcome = 'IMPORTED'", Integer.class))
                .as("one total per tenant and outcome").isEqualTo(2);
    }

    /** An embedded ledger in {@code dir} with the schema of that version, as an earlier release left it. */
    private static JdbcDataSource ledgerAt(Path dir, String version) {
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:file:" + dir.resolve("ledger"));
        h2.setUser("sa");
        Flyway.configure().dataSource(h2).locations(ServiceFolders.EMBEDDED_LEDGER_MIGRATIONS).target(version).load().migrate();
        return h2;
    }
}
