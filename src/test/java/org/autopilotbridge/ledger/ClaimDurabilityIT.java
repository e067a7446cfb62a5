package org.autopilotbridge.ledger;

import java.util.Set;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;

import org.autopilotbridge.testing.PostgresLedger;
import org.autopilotbridge.testing.PowerCut;
import org.autopilotbridge.testing.ServiceFolders;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A batch claimed in the embedded ledger is on the device before it is sent: a host crash right after the claim
 * (power cut, kernel panic) finds the batch in the ledger at the next start, so it is adopted by its importId instead
 * of being claimed again from its lines and sent a second time under the same importId. The crash is {@link PowerCut}:
 * the ledger as it was at H2's last fsync.
 */
class ClaimDurabilityIT {

    @Test
    void aClaimedBatchOutlivesAHostCrash(@TempDir Path dir) throws Exception {
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL(LedgerDataSource.embeddedUrl(PowerCut.location(dir.resolve("ledger"))));
        h2.setUser("sa");
        // The database stays open, as in the service: closing it would write and force everything.
        try (Connection open = h2.getConnection()) {
            Flyway.configure().dataSource(h2).locations(ServiceFolders.EMBEDDED_LEDGER_MIGRATIONS).load().migrate();
            JdbcTemplate jdbc = new JdbcTemplate(h2);
            jdbc.update("""
                    INSERT INTO hash_file (id, name, source, sha256, size_bytes, status, dry_run, received_at)
                    VALUES (1, 'crash.csv', 'inbox', REPEAT('0', 64), 10, 'RECORDED', FALSE, CURRENT_TIMESTAMP)""");
            for (int line = 2; line <= 4; line++) {
                jdbc.update("INSERT INTO device (file_id, line_no, serial_number, serial_key) VALUES (1, ?, ?, ?)",
                        line, "CRASH-" + line, "CRASH-" + line);
            }
            BatchLedger batches = new BatchLedger(jdbc, new LedgerDialect(h2), PostgresLedger.instance("embedded"));

            // In a transaction of its own, as Spring runs it in the service.
            ImportBatch claimed = new TransactionTemplate(new DataSourceTransactionManager(h2))
                    .execute(status -> batches.openNextBatch(3, Set.of("default")).orElseThrow());

            // The host fails now, as the batch is about to be sent.
            Path synced = PowerCut.synced(dir.resolve("ledger.mv.db"));
            assertThat(synced).as("the ledger forced to the device since it was opened (else a crash loses it all)").exists();
            Path afterCrash = Files.createDirectories(dir.resolve("after-crash"));
            Files.copy(synced, afterCrash.resolve("ledger.mv.db"));
            JdbcDataSource restarted = new JdbcDataSource();
            restarted.setURL("jdbc:h2:file:" + afterCrash.resolve("ledger"));
            restarted.setUser("sa");
            JdbcTemplate after = new JdbcTemplate(restarted);
            assertThat(after.queryForList("SELECT import_id FROM import_batch", String.class))
                    .as("the claimed batch, found at the next start").containsExactly(claimed.importId());
            assertThat(after.queryForObject("SELECT COUNT(*) FROM device WHERE batch_id = ?", Integer.class, claimed.id()))
                    .as("its devices").isEqualTo(3);
            after.execute("SHUTDOWN");
        }
    }
}
