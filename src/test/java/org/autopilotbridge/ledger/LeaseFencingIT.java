package org.autopilotbridge.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import com.zaxxer.hikari.HikariDataSource;

import org.autopilotbridge.config.FolderProperties;
import org.autopilotbridge.config.GraphProperties;
import org.autopilotbridge.testing.Postgres;
import org.autopilotbridge.testing.PostgresLedger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.autoconfigure.jdbc.DataSourceProperties;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The check made right before a batch or a chunk of updates is sent, on a real PostgreSQL ledger: it passes only for
 * the instance that holds the lease while the lease has not run out by the database's clock. And the ledger's
 * PostgreSQL connections bound every wait.
 */
class LeaseFencingIT {

    @RegisterExtension
    static final PostgresLedger LEDGER = new PostgresLedger(2);

    @Test
    void aBatchIsSentOnlyByTheInstanceWhoseLeaseStillRuns() throws Exception {
        JdbcTemplate jdbc = LEDGER.jdbc();
        long fileId = LEDGER.recordedFile("fenced.csv");
        jdbc.update("""
                INSERT INTO import_batch (file_id, seq, import_id, status, created_at)
                VALUES (?, 1, 'fenced-1', 'SENDING', CURRENT_TIMESTAMP)""", fileId);
        BatchLedger first = new BatchLedger(jdbc, LEDGER.dialect(), PostgresLedger.instance("node-1"));
        BatchLedger second = new BatchLedger(jdbc, LEDGER.dialect(), PostgresLedger.instance("node-2"));
        long batch = first.claimUnconfirmed(Set.of("default")).orElseThrow().id();

        assertThat(first.stillHeld(batch)).as("held while the lease runs").isTrue();
        assertThat(second.claimUnconfirmed(Set.of("default"))).as("not taken while the lease runs").isEmpty();
        // node-1 paused past its lease (or its clock lags the database's): by the database's clock the lease is over.
        jdbc.update("UPDATE import_batch SET lease_until = CURRENT_TIMESTAMP - INTERVAL '1 second' WHERE id = ?", batch);
        assertThat(first.stillHeld(batch)).as("a lapsed lease, even if nobody took the batch yet").isFalse();
        assertThat(second.claimUnconfirmed(Set.of("default"))).as("taken over").map(ImportBatch::id).contains(batch);
        assertThat(first.stillHeld(batch)).as("held by another instance now").isFalse();
        assertThat(second.stillHeld(batch)).isTrue();
        assertThat(jdbc.queryForObject("SELECT lease_owner FROM import_batch WHERE id = ?", String.class, batch))
                .as("the refused check left the new holder's lease alone").isEqualTo("node-2");
    }

    @Test
    void aChunkOfUpdatesIsSentOnlyWhileEveryLeaseOfItRuns() throws Exception {
        JdbcTemplate jdbc = LEDGER.jdbc();
        long fileId = LEDGER.recordedFile("retag.csv");
        for (int line = 2; line <= 3; line++) {
            jdbc.update("""
                    INSERT INTO device (file_id, line_no, serial_number, serial_key, group_tag, outcome, own_group_tag)
                    VALUES (?, ?, ?, ?, 'New', 'UPDATING', TRUE)""", fileId, line, "FENCE-" + line, "FENCE-" + line);
            jdbc.update("""
                    INSERT INTO device_update (device_id, file_id, kind, serial_number, group_tag, status, attempts, next_try_at)
                    VALUES ((SELECT MAX(id) FROM device), ?, 'UPDATE_ONLY', ?, 'New', 'SEND', 0, CURRENT_TIMESTAMP)""",
                    fileId, "FENCE-" + line);
        }
        UpdateLedger updates = new UpdateLedger(jdbc, LEDGER.dialect(), PostgresLedger.instance("node-1"),
                new ProfileLedger(jdbc, LEDGER.dialect(), PostgresLedger.instance("node-1"), Duration.ZERO, Duration.ZERO));
        Optional<UpdateChunk> chunk = updates.claimNext(20, "default");
        assertThat(chunk).map(c -> c.updates().size()).contains(2);

        assertThat(updates.stillHeld(chunk.get())).isTrue();
        jdbc.update("UPDATE device_update SET lease_until = CURRENT_TIMESTAMP - INTERVAL '1 second' WHERE serial_number = 'FENCE-3'");
        assertThat(updates.stillHeld(chunk.get())).as("one update of the chunk lapsed").isFalse();
    }

    @Test
    void theLedgersPostgresConnectionsBoundEveryWait() throws Exception {
        Map<String, String> settings = Postgres.newDatabase();
        DataSourceProperties database = new DataSourceProperties();
        database.setUrl(settings.get("spring.datasource.url"));
        database.setUsername(settings.get("spring.datasource.username"));
        database.setPassword(settings.get("spring.datasource.password"));
        try (HikariDataSource ledger = (HikariDataSource) new LedgerDataSource().dataSource(new FolderProperties(), new GraphProperties(), database);
             Connection connection = ledger.getConnection(); Statement show = connection.createStatement()) {
            assertThat(setting(show, "lock_timeout")).isEqualTo("10s");
            assertThat(setting(show, "statement_timeout")).isEqualTo("1min");
            assertThat(setting(show, "idle_in_transaction_session_timeout")).isEqualTo("1min");
            assertThat(connection.getNetworkTimeout()).as("socket read timeout, ms").isEqualTo(60_000);
        }
    }

    private static String setting(Statement show, String name) throws Exception {
        try (var rs = show.executeQuery("SHOW " + name)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
