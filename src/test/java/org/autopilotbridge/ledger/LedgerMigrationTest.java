package org.autopilotbridge.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import org.autopilotbridge.testing.ServiceFolders;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;

/** A ledger written by an earlier version keeps every hash of a file in flight when the service is upgraded. */
class LedgerMigrationTest {

    @Test
    void movesTheHashesOfFilesInFlightFromTheLedgerIntoTheirSpools(@TempDir Path dir) {
        JdbcDataSource h2 = ledgerAt(dir, "3");
        JdbcTemplate jdbc = new JdbcTemplate(h2);
        jdbc.update("""
                INSERT INTO hash_file (id, name, source, sha256, size_bytes, status, dry_run, received_at)
                VALUES (1, 'a.csv', 'inbox', REPEAT('0', 64), 10, 'RECORDED', FALSE, CURRENT_TIMESTAMP),
                       (2, 'b.csv', 'inbox', REPEAT('1', 64), 10, 'FINISHED', FALSE, CURRENT_TIMESTAMP)""");
        String hash = "QUJD".repeat(1000);
        jdbc.update("INSERT INTO device (file_id, line_no, serial_number, serial_key, hardware_hash) VALUES (1, 2, 'S-2', 'S-2', ?)", hash);
        jdbc.update("INSERT INTO device (file_id, line_no, serial_number, outcome, detail) VALUES (1, 3, 'S-3', 'REJECTED', 'bad')");
        jdbc.update("INSERT INTO device (file_id, line_no, serial_number, serial_key, hardware_hash) VALUES (1, 4, 'S-4', 'S-4', 'T0FB')");
        jdbc.update("INSERT INTO device (file_id, line_no, serial_number, serial_key, outcome, hardware_hash) "
                + "VALUES (2, 2, 'S-5', 'S-5', 'IMPORTED', 'T0FB')");
        HashSpool hashes = ServiceFolders.hashSpool(dir);

        Flyway.configure().dataSource(h2).locations(ServiceFolders.EMBEDDED_LEDGER_MIGRATIONS)
                .javaMigrations(ServiceFolders.javaMigrations(hashes)).load().migrate();

        try (HashSpool.Reader spool = hashes.reader(1)) {
            assertThat(jdbc.query("SELECT line_no, hash_at, hash_length FROM device WHERE file_id = 1 ORDER BY line_no",
                    (rs, n) -> rs.getLong(1) + " " + (rs.getObject(2) == null ? null
                            : new String(spool.read(new HashSpool.HashSpan(rs.getLong(2), rs.getInt(3))), StandardCharsets.US_ASCII))))
                    .containsExactly("2 " + hash, "3 null", "4 T0FB");
        }
        assertThat(hashes.spool(2)).as("a finished file's hashes, left by a stop before they were dropped").doesNotExist();
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM device", Integer.class)).isEqualTo(4);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM information_schema.tables WHERE table_name = 'DEVICE_HASH'",
                Integer.class)).as("the hash table").isZero();
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

    @Test
    void writesADeviceRowInItsTableAndFourIndexesOnTheEmbeddedLedger(@TempDir Path dir) {
        JdbcDataSource h2 = ledgerAt(dir, "21");
        JdbcTemplate jdbc = new JdbcTemplate(h2);

        Flyway.configure().dataSource(h2).locations(ServiceFolders.EMBEDDED_LEDGER_MIGRATIONS)
                .javaMigrations(ServiceFolders.javaMigrations(ServiceFolders.hashSpool(dir))).load().migrate();

        assertThat(jdbc.queryForList("SELECT index_name FROM information_schema.indexes WHERE table_name = 'DEVICE'", String.class))
                .as("the file's own index of its lines' serial numbers, and the one H2 gave the reference to the file, are gone")
                .filteredOn(name -> !name.startsWith("PRIMARY_KEY")).map(name -> name.replaceFirst("_INDEX_.*", ""))
                .containsExactlyInAnyOrder("DEVICE_LINE", "DEVICE_BATCH", "DEVICE_PENDING", "DEVICE_TENANT_SERIAL");
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
