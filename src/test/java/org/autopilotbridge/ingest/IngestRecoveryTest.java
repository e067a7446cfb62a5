package org.autopilotbridge.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.autopilotbridge.config.FolderProperties;
import org.autopilotbridge.finish.ReportFiles;
import org.autopilotbridge.ledger.DeviceLedger;
import org.autopilotbridge.ledger.FileLedger;
import org.autopilotbridge.ledger.FileStatus;
import org.autopilotbridge.ledger.HashFile;
import org.autopilotbridge.ledger.LedgerDialect;
import org.autopilotbridge.ledger.RecordedLine;
import org.autopilotbridge.tenant.Tenant;
import org.autopilotbridge.tenant.Tenants;
import org.autopilotbridge.testing.H2Ledger;
import org.autopilotbridge.testing.TestTenants;
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
        assertThat(files.interruptedRead(SHA256, "fleet.csv", HashFile.DROP_FOLDER, Tenant.SINGLE)).map(HashFile::id).contains(fileId);
        assertThat(devices.lastLine(fileId)).isEqualTo(3);
    }

    /**
     * The embedded ledger failed under a file's reading while a file arrived under its name, so the refusal left it in
     * processing ({@link IngestRefusalTest}); once its lease runs out it goes back beside that file under a free name,
     * which the ledger follows, so that it is read on from its last recorded line instead of read as a new file.
     */
    @Test
    void aFileWhoseNameWasTakenMeanwhileGoesBackUnderAFreeNameAndIsReadOn() throws Exception {
        long fileId = abandonedRead("fleet.csv", 2);
        Path arrived = Files.writeString(folders.getInbox().resolve("fleet.csv"), "the file that arrived since");

        recovery(new FileTaking(new ReportFiles())).takeOver();

        assertThat(arrived).hasContent("the file that arrived since");
        assertThat(folders.getInbox().resolve("fleet-2.csv")).content().startsWith("Device Serial Number,Hardware Hash");
        assertThat(files.interruptedRead(SHA256, "fleet-2.csv", HashFile.DROP_FOLDER, Tenant.SINGLE)).map(HashFile::id)
                .as("read on under its new name").contains(fileId);
        assertThat(devices.lastLine(fileId)).isEqualTo(3);
    }

    @Test
    void aFilePutBackThatAnotherInstanceIsTakingButHasNotLeasedIsLeftToIt() throws Exception {
        long inReading = releasedAfterPutBack("fleet.csv");
        long aside = releasedAfterPutBack("aside.csv");
        // Another instance moved them out of the inbox and is hashing them: not yet found and leased as interrupted.
        Files.writeString(ProcessingFolders.readingDir(folders, HashFile.DROP_FOLDER, Tenant.SINGLE)
                .resolve("9c5b94b1-35ad-49bb-b118-8e8fc24abf80-fleet.csv"), "x");
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

    @Test
    void aTenantsFilesGoBackToThatTenantsInboxWhetherRecordedOrNotAndOthersToTheTopLevelInbox() throws Exception {
        Tenants tenants = TestTenants.several(folders, "contoso", "fabrikam");
        // As the service creates them at start (install/WorkFolders), before the ledger opens.
        for (Tenant tenant : tenants.all()) {
            Files.createDirectories(tenant.folders().inbox());
        }
        abandonedRead("recorded.csv", 2, "contoso");
        Path unrecorded = Files.writeString(Files.createDirectories(ProcessingFolders.readingDir(folders, HashFile.DROP_FOLDER, "fabrikam"))
                .resolve("2c5b94b1-35ad-49bb-b118-8e8fc24abf82-unrecorded.csv"), "x");
        Files.setLastModifiedTime(unrecorded, FileTime.from(Instant.now().minus(Duration.ofMinutes(5))));
        Path beforeTenants = Files.writeString(Files.createDirectories(ProcessingFolders.readingDir(folders, HashFile.DROP_FOLDER,
                Tenant.SINGLE)).resolve("3c5b94b1-35ad-49bb-b118-8e8fc24abf83-single.csv"), "x");
        Files.setLastModifiedTime(beforeTenants, FileTime.from(Instant.now().minus(Duration.ofMinutes(5))));

        new IngestRecovery(folders, tenants, files, devices, null, dialect, new FileTaking(new ReportFiles())).takeOver();

        assertThat(folders.getInbox().resolve("contoso").resolve("recorded.csv")).exists();
        assertThat(folders.getInbox().resolve("fabrikam").resolve("unrecorded.csv")).exists();
        assertThat(folders.getInbox().resolve("recorded.csv")).as("never the top-level inbox, where it would be refused").doesNotExist();
        assertThat(folders.getInbox().resolve("unrecorded.csv")).doesNotExist();
        assertThat(folders.getInbox().resolve("single.csv")).as("taken before tenants were configured: back where it was dropped")
                .exists();
    }

    /** A file an instance took and started reading, recorded up to {@code lines} lines, whose lease then ran out. */
    private long abandonedRead(String name, int lines) throws Exception {
        return abandonedRead(name, lines, Tenant.SINGLE);
    }

    private long abandonedRead(String name, int lines, String tenant) throws Exception {
        Path reading = Files.createDirectories(ProcessingFolders.readingDir(folders, HashFile.DROP_FOLDER, tenant));
        Path taken = Files.writeString(reading.resolve("1b4e28ba-2fa1-11d2-883f-0016d3cca427-" + name),
                "Device Serial Number,Hardware Hash\r\nS-1,T0Fh\r\nS-2,T0Fi\r\nS-3,T0Fj\r\n");
        long fileId = files.startFile(name, HashFile.DROP_FOLDER, SHA256, Files.size(taken), "UTF-8", false, tenant);
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
        return new IngestRecovery(folders, TestTenants.single(folders), files, devices, null, dialect, taking);
    }
}
