package org.autopilotbridge.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.autopilotbridge.config.FolderProperties;
import org.autopilotbridge.finish.ReportFiles;
import org.autopilotbridge.ledger.DeviceLedger;
import org.autopilotbridge.ledger.FileLedger;
import org.autopilotbridge.ledger.FileStatus;
import org.autopilotbridge.ledger.HashFile;
import org.autopilotbridge.ledger.LedgerDialect;
import org.autopilotbridge.ledger.RecordedLine;
import org.autopilotbridge.testing.H2Ledger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A file whose reader died half-way is put back into the inbox to be read on from its last recorded line. On a
 * shared inbox another instance may take it the moment it is back: that instance must find the file's reading
 * released, to go on with, never sealed as "no longer in the inbox" (which would report its unread lines unread and
 * have the file read again as a new file, a duplicate of itself).
 */
class IngestRecoveryTest {

    private static final String SHA256 = "ab".repeat(32);

    @TempDir
    Path dir;

    private JdbcTemplate jdbc;
    private FolderProperties folders;
    private FileLedger files;
    private DeviceLedger devices;
    private LedgerDialect dialect;

    @BeforeEach
    void ledger() throws Exception {
        H2Ledger ledger = H2Ledger.open(dir);
        jdbc = ledger.jdbc();
        dialect = ledger.dialect();
        devices = ledger.devices();
        files = ledger.files();
        folders = new FolderProperties();
        folders.setInbox(Files.createDirectories(dir.resolve("inbox")));
        folders.setDataDir(Files.createDirectories(dir.resolve("data")));
    }

    @Test
    void aFileTakenAgainTheMomentItIsPutBackGoesOnFromItsLastRecordedLine() throws Exception {
        long fileId = abandonedRead("fleet.csv", 2);
        Path[] takenByAnother = new Path[1];
        FileTaking takenAtOnce = new FileTaking(new ReportFiles()) {
            @Override
            Path putBack(Path taken, Path original) throws java.io.IOException {
                Path back = super.putBack(taken, original);
                // Another instance's inbox route takes it before this instance looks again.
                takenByAnother[0] = Files.move(back, dir.resolve("taken-by-another.csv"));
                return back;
            }
        };

        recovery(takenAtOnce).takeOver();

        assertThat(takenByAnother[0]).exists();
        assertThat(jdbc.queryForMap("SELECT status, unread_from, lease_owner FROM hash_file WHERE id = ?", fileId))
                .as("released to be read on, not sealed").containsEntry("STATUS", FileStatus.RECEIVING.name())
                .containsEntry("UNREAD_FROM", null).containsEntry("LEASE_OWNER", null);
        assertThat(files.interruptedRead(SHA256, "fleet.csv", HashFile.DROP_FOLDER)).map(HashFile::id).contains(fileId);
        assertThat(devices.lastLine(fileId)).isEqualTo(3);
    }

    @Test
    void aFilePutBackThatAnotherInstanceIsTakingButHasNotLeasedIsLeftToIt() throws Exception {
        long inReading = releasedAfterPutBack("fleet.csv");
        long aside = releasedAfterPutBack("aside.csv");
        // Another instance moved them out of the inbox and is hashing them: not yet found and leased as interrupted.
        Files.writeString(ProcessingFolders.readingDir(folders, HashFile.DROP_FOLDER).resolve("9c5b94b1-35ad-49bb-b118-8e8fc24abf80-fleet.csv"), "x");
        Files.writeString(folders.getInbox().resolve(FileTaking.TAKING_PREFIX + "9c5b94b1-35ad-49bb-b118-8e8fc24abf81-aside.csv"), "x");

        recovery(new FileTaking(new ReportFiles())).takeOver();

        for (long fileId : new long[] {inReading, aside}) {
            assertThat(jdbc.queryForMap("SELECT status, unread_from FROM hash_file WHERE id = ?", fileId))
                    .as("left to the instance taking it, not sealed").containsEntry("STATUS", FileStatus.RECEIVING.name())
                    .containsEntry("UNREAD_FROM", null);
        }
    }

    @Test
    void aFileWithNoLineRecordedIsForgottenBeforeItIsPutBack() throws Exception {
        long fileId = abandonedRead("empty-so-far.csv", 0);
        long[] rowsWhenBack = new long[1];
        FileTaking watching = new FileTaking(new ReportFiles()) {
            @Override
            Path putBack(Path taken, Path original) throws java.io.IOException {
                rowsWhenBack[0] = jdbc.queryForObject("SELECT COUNT(*) FROM hash_file WHERE id = ?", Long.class, fileId);
                return super.putBack(taken, original);
            }
        };

        recovery(watching).takeOver();

        assertThat(rowsWhenBack[0]).as("the ledger forgot the file before another instance could take it").isZero();
        assertThat(folders.getInbox().resolve("empty-so-far.csv")).exists();
    }

    /** A file an instance took and started reading, recorded up to {@code lines} lines, whose lease then ran out. */
    private long abandonedRead(String name, int lines) throws Exception {
        Path reading = Files.createDirectories(ProcessingFolders.readingDir(folders, HashFile.DROP_FOLDER));
        Path taken = Files.writeString(reading.resolve("1b4e28ba-2fa1-11d2-883f-0016d3cca427-" + name),
                "Device Serial Number,Hardware Hash\r\nS-1,T0Fh\r\nS-2,T0Fi\r\nS-3,T0Fj\r\n");
        long fileId = files.startFile(name, HashFile.DROP_FOLDER, SHA256, Files.size(taken), "UTF-8", false, "default");
        files.storeAt(fileId, taken.toString());
        for (int line = 2; line < 2 + lines; line++) {
            devices.recordLines(fileId, List.of(new RecordedLine(line, "S-" + line, "S-" + line, "T0Fh", null, null, null,
                    null, null, null, false)), false, true, 500);
        }
        jdbc.update("UPDATE hash_file SET lease_owner = 'dead-instance', lease_until = TIMESTAMP '2000-01-01 00:00:00' WHERE id = ?",
                fileId);
        return fileId;
    }

    /** A file put back into the inbox and released by the instance that recovered it: no lease, not where it was read. */
    private long releasedAfterPutBack(String name) throws Exception {
        long fileId = abandonedRead(name, 2);
        Files.delete(Path.of(jdbc.queryForObject("SELECT stored_path FROM hash_file WHERE id = ?", String.class, fileId)));
        jdbc.update("UPDATE hash_file SET lease_owner = NULL, lease_until = NULL WHERE id = ?", fileId);
        return fileId;
    }

    private IngestRecovery recovery(FileTaking taking) {
        // The instances' ledger is only used at start, to forget leases of earlier runs; this test runs later rounds.
        return new IngestRecovery(folders, files, devices, null, dialect, taking);
    }
}
