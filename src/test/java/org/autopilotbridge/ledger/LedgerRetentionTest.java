package org.autopilotbridge.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;

import com.zaxxer.hikari.HikariDataSource;

import org.autopilotbridge.config.FolderProperties;
import org.autopilotbridge.config.GraphProperties;
import org.autopilotbridge.config.ImportProperties;
import org.autopilotbridge.testing.ServiceFolders;
import org.flywaydb.core.Flyway;
import org.autopilotbridge.tenant.Tenant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.jdbc.DataSourceProperties;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The embedded ledger as the service opens it, with files of every age and state: the retention removes the files
 * finished or refused longer ago, with everything that points at them, and nothing still on its way.
 */
class LedgerRetentionTest {

    private static final Instant LONG_AGO = Instant.now().minus(Duration.ofDays(100));
    private static final Instant LATELY = Instant.now().minus(Duration.ofDays(10));

    @TempDir
    Path folder;
    private HikariDataSource dataSource;
    private JdbcTemplate jdbc;
    private FolderProperties properties;

    @AfterEach
    void close() {
        dataSource.close();
    }

    @Test
    void removesFilesFinishedLongerAgoThanTheRetentionWithTheirLinesAndKeepsEverythingElse() throws Exception {
        open();
        long old = file("old.csv", FileStatus.FINISHED, LONG_AGO);
        long batch = batch(old, BatchStatus.DONE);
        lines(old, LedgerRetention.LINES_PER_DELETE * 2 + 5, batch);
        HashSpool hashes = new HashSpool(properties);
        hashes.append(old, new String[] {"T0FB"});
        update(old, "DONE", Timestamp.from(LONG_AGO));
        long refused = file("refused.csv", FileStatus.REFUSED, LONG_AGO);
        long recent = file("recent.csv", FileStatus.FINISHED, LATELY);
        lines(recent, 3, batch(recent, BatchStatus.DONE));
        long reading = file("reading.csv", FileStatus.RECORDED, null);
        jdbc.update("UPDATE hash_file SET received_at = ? WHERE id = ?", Timestamp.from(LONG_AGO), reading);
        lines(reading, 3, null);
        hashes.append(reading, new String[] {"T0FB"});
        long stillCleaning = file("cleaning.csv", FileStatus.FINISHED, LONG_AGO);
        lines(stillCleaning, 3, batch(stillCleaning, BatchStatus.CLEANING));
        long stillUpdating = file("updating.csv", FileStatus.FINISHED, LONG_AGO);
        lines(stillUpdating, 3, null);
        update(stillUpdating, "SEND", null);
        jdbc.update("INSERT INTO ingest_attempt (sha256, attempts, last_at) VALUES (?, 1, ?), (?, 1, ?)",
                sha256("old attempt"), Timestamp.from(LONG_AGO), sha256("new attempt"), Timestamp.from(LATELY));
        jdbc.update("INSERT INTO service_instance (id, host, started_at, heartbeat_at) VALUES ('gone', 'h', ?, ?), ('here', 'h', ?, ?)",
                Timestamp.from(LONG_AGO), Timestamp.from(LONG_AGO), Timestamp.from(LATELY), Timestamp.from(Instant.now()));

        jdbc.update("INSERT INTO CAMEL_MESSAGEPROCESSED (processorName, messageId, createdAt) VALUES "
                + "('vendor-files', 'oem/1/1/old.csv', ?), ('vendor-files', 'oem/1/1/new.csv', ?)",
                Timestamp.from(LONG_AGO), Timestamp.from(LATELY));
        int purged = new LedgerRetention(jdbc, new ImportProperties(), hashes).purge();

        assertThat(purged).isEqualTo(2);
        assertThat(jdbc.queryForList("SELECT name FROM hash_file ORDER BY id", String.class))
                .containsExactly("recent.csv", "reading.csv", "cleaning.csv", "updating.csv");
        assertThat(hashes.spool(old)).as("the old file's hashes, left by a stop before they were dropped").doesNotExist();
        assertThat(hashes.spool(reading)).as("the hashes of a file still on its way").exists();
        for (String table : new String[] {"device", "device_update", "import_batch"}) {
            assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM " + table + " WHERE file_id IN (?, ?)", Integer.class, old, refused))
                    .as(table).isZero();
        }
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM device", Integer.class)).as("the kept files' lines").isEqualTo(12);
        assertThat(jdbc.queryForList("SELECT sha256 FROM ingest_attempt", String.class)).containsExactly(sha256("new attempt"));
        assertThat(jdbc.queryForList("SELECT id FROM service_instance", String.class)).containsExactly("here");
        assertThat(jdbc.queryForList("SELECT messageId FROM CAMEL_MESSAGEPROCESSED", String.class))
                .as("vendor files remembered as fetched, however old").containsExactlyInAnyOrder("oem/1/1/old.csv",
                        "oem/1/1/new.csv");
        DuplicateFiles files = new DuplicateFiles(jdbc);
        assertThat(files.earlierRun(sha256("old.csv"), false, Tenant.SINGLE)).as("the same content dropped again is imported again").isEmpty();
        assertThat(files.earlierRun(sha256("recent.csv"), false, Tenant.SINGLE)).isPresent();
    }

    @Test
    void leavesTheFirstMinuteAfterStartToTheWorkARestartFindsThoughTheBackstopWakesItEveryFewSeconds() throws Exception {
        open();
        file("old.csv", FileStatus.FINISHED, LONG_AGO);
        LedgerRetention retention = new LedgerRetention(jdbc, new ImportProperties(), new HashSpool(properties));

        assertThat(retention.purgeIfDue()).as("woken within its first minute").isZero();
        assertThat(retention.purge()).as("what purgeIfDue left").isEqualTo(1);
    }

    private void open() {
        properties = new FolderProperties();
        properties.setDataDir(folder.toAbsolutePath());
        dataSource = (HikariDataSource) new LedgerDataSource().dataSource(properties, new GraphProperties(), new DataSourceProperties());
        Flyway.configure().dataSource(dataSource).locations(ServiceFolders.EMBEDDED_LEDGER_MIGRATIONS)
                .javaMigrations(ServiceFolders.javaMigrations(new HashSpool(properties))).load().migrate();
        jdbc = new JdbcTemplate(dataSource);
    }

    private long file(String name, FileStatus status, Instant finishedAt) {
        jdbc.update("""
                INSERT INTO hash_file (name, source, sha256, size_bytes, status, dry_run, received_at, finished_at)
                VALUES (?, 'inbox', ?, 1, ?, FALSE, ?, ?)""", name, sha256(name), status.name(),
                Timestamp.from(finishedAt == null ? Instant.now() : finishedAt), finishedAt == null ? null : Timestamp.from(finishedAt));
        return jdbc.queryForObject("SELECT id FROM hash_file WHERE name = ?", Long.class, name);
    }

    private long batch(long fileId, BatchStatus status) {
        jdbc.update("INSERT INTO import_batch (file_id, seq, import_id, status, created_at) VALUES (?, 1, ?, ?, CURRENT_TIMESTAMP)",
                fileId, "import-" + fileId, status.name());
        return jdbc.queryForObject("SELECT id FROM import_batch WHERE file_id = ?", Long.class, fileId);
    }

    private void lines(long fileId, int count, Long batchId) {
        jdbc.update("""
                INSERT INTO device (file_id, line_no, serial_number, serial_key, outcome, batch_id)
                SELECT ?, X + 1, 'SN' || X, 'SN' || X, 'IMPORTED', ? FROM SYSTEM_RANGE(1, ?)""", fileId, batchId, count);
    }

    private void update(long fileId, String status, Timestamp finishedAt) {
        jdbc.update("""
                INSERT INTO device_update (device_id, file_id, kind, serial_number, group_tag, status, attempts, next_try_at, finished_at)
                SELECT id, file_id, 'REGISTERED', serial_number, 'Kiosk', ?, 0, CURRENT_TIMESTAMP, ? FROM device
                WHERE file_id = ? AND line_no = 2""", status, finishedAt, fileId);
    }

    private static String sha256(String name) {
        return String.format("%-64s", name).replace(' ', '0');
    }
}
