package org.autopilotbridge.finish;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.ObjectMapper;

import org.autopilotbridge.config.FolderProperties;
import org.autopilotbridge.ledger.BatchLedger;
import org.autopilotbridge.ledger.DeviceLedger;
import org.autopilotbridge.ledger.FileLedger;
import org.autopilotbridge.ledger.HashSpool;
import org.autopilotbridge.ledger.FileStatus;
import org.autopilotbridge.ledger.HashFile;
import org.autopilotbridge.ledger.ReportLines;
import org.autopilotbridge.ledger.ReportNames;
import org.autopilotbridge.ledger.ProfileLedger;
import org.autopilotbridge.ledger.UpdateLedger;
import org.autopilotbridge.ops.Incidents;
import org.autopilotbridge.ops.ServiceEvents;
import org.autopilotbridge.testing.HashFiles;
import org.autopilotbridge.testing.PostgresLedger;
import org.autopilotbridge.testing.TestTenants;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.autopilotbridge.testing.ServiceFolders;

/**
 * Two instances on one PostgreSQL ledger, sharing done and dead-letter, finish two different files of the same name
 * at the same moment: each keeps its own name, and nothing of one replaces anything of the other.
 */
class ReportNamesIT {

    @RegisterExtension
    static final PostgresLedger LEDGER = new PostgresLedger(4);

    @TempDir
    Path dir;

    @Test
    void twoFilesOfOneNameFinishingAtOnceKeepEverythingOfBoth() throws Exception {
        FolderProperties properties = new FolderProperties();
        properties.setDone(dir.resolve("done"));
        properties.setDeadLetter(dir.resolve("dead-letter"));
        HashFile first = recordedFileWithAFailedLine("SN-FIRST");
        HashFile second = recordedFileWithAFailedLine("SN-SECOND");
        CountDownLatch firstWriting = new CountDownLatch(1);
        CountDownLatch secondDone = new CountDownLatch(1);
        // The first instance stops at its first fsync, its name chosen and its first report not yet in place.
        ResultsWriter firstInstance = writer("node-1", properties, new ReportFiles(path -> {
            firstWriting.countDown();
            try {
                secondDone.await();
            } catch (InterruptedException e) {
                throw new java.io.InterruptedIOException();
            }
            ReportFiles.DEVICE.force(path);
        }));
        ResultsWriter secondInstance = writer("node-2", properties, new ReportFiles());

        CompletableFuture<FileReport> firstReport = CompletableFuture.supplyAsync(() -> firstInstance.finish(first));
        assertThat(firstWriting.await(60, TimeUnit.SECONDS)).as("the first instance writing").isTrue();
        FileReport secondReport = secondInstance.finish(second);
        secondDone.countDown();

        assertThat(firstReport.get()).as("the first file finished").isNotNull();
        assertThat(secondReport).as("the second file finished").isNotNull();
        Path done = properties.getDone();
        Path deadLetter = properties.getDeadLetter();
        assertThat(done.resolve("same.csv")).content().contains("SN-FIRST");
        assertThat(done.resolve("same.csv.results.csv")).content().contains("SN-FIRST").doesNotContain("SN-SECOND");
        assertThat(deadLetter.resolve("same.csv.failed.csv")).content().contains("SN-FIRST").doesNotContain("SN-SECOND");
        assertThat(done.resolve("same-2.csv")).content().contains("SN-SECOND");
        assertThat(done.resolve("same-2.csv.results.csv")).content().contains("SN-SECOND").doesNotContain("SN-FIRST");
        assertThat(deadLetter.resolve("same-2.csv.failed.csv")).content().contains("SN-SECOND").doesNotContain("SN-FIRST");
        assertThat(LEDGER.jdbc().queryForObject("SELECT COUNT(*) FROM report_name", Integer.class))
                .as("names held by the files on disk once they are finished").isZero();
    }

    private static ResultsWriter writer(String instance, FolderProperties properties, ReportFiles reports) throws Exception {
        JdbcTemplate jdbc = LEDGER.jdbc();
        HashSpool hashes = new HashSpool(properties);
        FileLedger files = new FileLedger(jdbc, LEDGER.dialect(), PostgresLedger.instance(instance), hashes);
        ProfileLedger profiles = new ProfileLedger(jdbc, LEDGER.dialect(), PostgresLedger.instance(instance), Duration.ZERO, Duration.ZERO);
        DeviceLedger devices = new DeviceLedger(jdbc, new UpdateLedger(jdbc, LEDGER.dialect(), PostgresLedger.instance(instance),
                profiles), new BatchLedger(jdbc, LEDGER.dialect(), PostgresLedger.instance(instance)), profiles, hashes);
        ServiceEvents events = new ServiceEvents();
        ReportLines lines = new ReportLines(jdbc, new DataSourceTransactionManager(jdbc.getDataSource()), hashes);
        return new ResultsWriter(TestTenants.single(properties), files, new ReportNames(jdbc), devices, lines, new ObjectMapper(),
                new Incidents(events), events, reports, profiles);
    }

    /** A file named same.csv, read, its one line failed, its original waiting in processing. */
    private HashFile recordedFileWithAFailedLine(String serial) throws Exception {
        Path stored = Files.createDirectories(dir.resolve("processing")).resolve(serial + ".csv");
        List<String> lines = List.of("Device Serial Number,Hardware Hash", serial + "," + HashFiles.hash(new Random()));
        Files.write(stored, HashFiles.encode(lines, "\r\n", StandardCharsets.UTF_8, HashFiles.NO_BOM));
        JdbcTemplate jdbc = LEDGER.jdbc();
        long fileId = LEDGER.recordedFile("same.csv");
        jdbc.update("UPDATE hash_file SET stored_path = ? WHERE id = ?", stored.toString(), fileId);
        jdbc.update("""
                INSERT INTO device (file_id, line_no, serial_number, serial_key, outcome, detail)
                VALUES (?, 2, ?, ?, 'FAILED', 'refused by Graph')""", fileId, serial, serial);
        FileLedger files = new FileLedger(jdbc, LEDGER.dialect(), PostgresLedger.instance("reader"), ServiceFolders.hashSpool(dir));
        return files.filesInStatus(FileStatus.RECORDED).stream().filter(f -> f.id() == fileId).findFirst().orElseThrow();
    }
}
