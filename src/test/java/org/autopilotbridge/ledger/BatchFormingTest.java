package org.autopilotbridge.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.autopilotbridge.config.ClusterProperties;
import org.autopilotbridge.testing.H2Ledger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;
import org.autopilotbridge.testing.ServiceFolders;

/**
 * Batches are formed as a file's lines are recorded, in the embedded ledger as the service opens it: each importable
 * line is recorded with its batch, so sending a batch never writes its device rows again; a full batch can be sent
 * while the file is still read, the last one once it is sealed, and a restart goes on filling the batch being formed.
 */
class BatchFormingTest {

    private static final int SIZE = 3;

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
        batches = ledger.batches();
        devices = ledger.devices();
        files = ledger.files();
    }

    @Test
    void recordsEachImportableLineInItsBatchAndSendsFullBatchesWhileTheFileIsRead() {
        long file = files.startFile("a.csv", "inbox", "ab".repeat(32), 100, "UTF-8", false, "default");

        record(file, valid(2, "S-2"), valid(3, "S-3"), rejected(4), valid(5, "S-2"), valid(6, "S-6"), valid(7, "S-7"));

        // Line 5 is found a duplicate before it is written, so it never takes a place in a batch: the first one is full.
        assertThat(batchOfLine(file)).containsExactly(Map.entry(2L, 1L), Map.entry(3L, 1L), Map.entry(4L, 0L),
                Map.entry(5L, 0L), Map.entry(6L, 1L), Map.entry(7L, 2L));
        assertThat(statuses(file)).as("the full batch ready, the next one forming").containsExactly(
                BatchStatus.READY, BatchStatus.FORMING);
        ImportBatch first = batches.claimFormed(Set.of("default")).orElseThrow();
        assertThat(first.status()).isEqualTo(BatchStatus.SENDING);
        assertThat(devices.unsentDevices(first)).extracting(PendingDevice::serialNumber).containsExactly("S-2", "S-3", "S-6");
        assertThat(batches.claimFormed(Set.of("default"))).as("the forming batch is not sent while the file is read").isEmpty();
        assertThat(batches.openNextBatch(SIZE, Set.of("default"))).as("no line left to claim").isEmpty();
    }

    @Test
    void aRestartGoesOnFillingTheBatchBeingFormedAndSealingTheFileSendsTheLastOne() {
        long file = files.startFile("a.csv", "inbox", "cd".repeat(32), 100, "UTF-8", false, "default");
        assertThat(record(file, valid(2, "S-2"), valid(3, "S-3"))).as("a chunk that fills no batch wakes nothing")
                .isEqualTo(new RecordedChunk(false, false));
        assertThat(record(file, valid(4, "S-4"), valid(5, "S-5"))).as("one that fills a batch wakes submit")
                .isEqualTo(new RecordedChunk(true, false));

        // A restarted instance (or another one) reads the file on from its last recorded line, with ledgers of its own.
        ledgerOfAnotherInstance();
        assertThat(record(file, valid(6, "S-6"), valid(7, "S-7"), valid(8, "S-8"))).isEqualTo(new RecordedChunk(true, false));
        assertThat(statuses(file)).containsExactly(BatchStatus.READY, BatchStatus.READY, BatchStatus.FORMING);
        files.sealFile(file, false, dir.resolve("a.csv").toString());

        List<List<String>> sent = new ArrayList<>();
        for (Optional<ImportBatch> batch = batches.claimFormed(Set.of("default")); batch.isPresent(); batch = batches.claimFormed(Set.of("default"))) {
            sent.add(devices.unsentDevices(batch.get()).stream().map(PendingDevice::serialNumber).toList());
        }
        assertThat(sent).containsExactly(List.of("S-2", "S-3", "S-4"), List.of("S-5", "S-6", "S-7"), List.of("S-8"));
    }

    @Test
    void aChunkWithALineThatChangesARegisteredDeviceOpensItsUpdate() {
        long file = files.startFile("a.csv", "inbox", "ef".repeat(32), 100, "UTF-8", false, "default");

        RecordedChunk recorded = record(file, valid(2, "S-2"), new RecordedLine(3, "S-3", "S-3", null, null, "Sales", null, null,
                null, null, true));

        assertThat(recorded).as("the update-only line wakes update").isEqualTo(new RecordedChunk(false, true));
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM device_update", Integer.class)).isEqualTo(1);
    }

    private void ledgerOfAnotherInstance() {
        ClusterProperties properties = new ClusterProperties();
        properties.setInstanceId("other");
        try {
            LedgerDialect dialect = new LedgerDialect(jdbc.getDataSource());
            ThisInstance other = new ThisInstance(properties);
            batches = new BatchLedger(jdbc, dialect, other);
            ProfileLedger profiles = new ProfileLedger(jdbc, dialect, other, Duration.ZERO, Duration.ZERO);
            devices = new DeviceLedger(jdbc, new UpdateLedger(jdbc, dialect, other, profiles), batches, profiles,
                    ServiceFolders.hashSpool(dir));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private RecordedChunk record(long file, RecordedLine... lines) {
        return transaction.execute(status -> devices.recordLines(file, List.of(lines), false, false, SIZE));
    }

    /** Each line's batch, by the batch's place in its file (0: none). */
    private List<Map.Entry<Long, Long>> batchOfLine(long file) {
        return jdbc.query("SELECT d.line_no, b.seq FROM device d LEFT JOIN import_batch b ON b.id = d.batch_id "
                + "WHERE d.file_id = ? ORDER BY d.line_no", (rs, n) -> Map.entry(rs.getLong(1), rs.getLong(2)), file);
    }

    private List<BatchStatus> statuses(long file) {
        return jdbc.queryForList("SELECT status FROM import_batch WHERE file_id = ? ORDER BY seq", String.class, file).stream()
                .map(BatchStatus::valueOf).toList();
    }

    private static RecordedLine valid(long line, String serial) {
        return new RecordedLine(line, serial, serial, "T0Fhash" + line, null, null, null, null, null, null, false);
    }

    private static RecordedLine rejected(long line) {
        return new RecordedLine(line, "bad", null, null, null, null, null, null, Outcome.REJECTED, "not a hash", false);
    }
}
