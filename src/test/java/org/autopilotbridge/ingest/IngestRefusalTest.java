package org.autopilotbridge.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchRuntimeException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.autopilotbridge.config.FolderProperties;
import org.autopilotbridge.csv.HashFileReader;
import org.autopilotbridge.finish.ReportFiles;
import org.autopilotbridge.ledger.HashFile;
import org.autopilotbridge.ledger.RecordedLine;
import org.autopilotbridge.ops.Incidents;
import org.autopilotbridge.ops.ServiceEvents;
import org.autopilotbridge.tenant.Tenant;
import org.autopilotbridge.testing.FullDisk;
import org.autopilotbridge.testing.H2Ledger;
import org.autopilotbridge.testing.ServiceFolders;
import org.autopilotbridge.testing.TestTenants;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A file whose reading failed because the ledger itself failed (its disk full): nothing of the refusal can be
 * recorded either. The file must not be left where it was taken to, read by no one until a restart: it goes back to
 * where it was found, and is read on from its last recorded line once the ledger works again.
 */
class IngestRefusalTest {

    private static final String HEADER = "Device Serial Number,Windows Product ID,Hardware Hash\r\n";

    @TempDir
    Path dir;

    private final Incidents incidents = new Incidents(new ServiceEvents());
    private Path found;
    private Path reading;
    private H2Ledger ledger;

    @BeforeEach
    void files() {
        found = dir.resolve("inbox/fleet.csv");
        reading = dir.resolve("data/processing/reading/inbox/1-fleet.csv");
    }

    @Test
    void aFileWhoseLedgerFailedGoesBackToWhereItWasFound() throws Exception {
        Exchange exchange = refusedWithTheLedgerFull();

        assertThat(found).as("back in the inbox").hasContent(HEADER);
        assertThat(reading).doesNotExist();
        assertThat(exchange.getMessage().getHeader(IngestRefusal.TRY_AGAIN_HEADER, Boolean.class)).isTrue();
        assertThat(incidents.ongoing(HashFileIngest.LEDGER_INCIDENT + HashFile.DROP_FOLDER)).as("said once, until a file is read")
                .hasValueSatisfying(reason -> assertThat(reason).contains("No space left on device"));
    }

    /**
     * A file arrived under its name while it was read: put back under another name, it would be read as a new file
     * (the ledger, which cannot be written, knows it by its name) and its recorded lines sent again.
     */
    @Test
    void aFileWhoseNameWasTakenMeanwhileStaysForTheRecovery() throws Exception {
        Files.createDirectories(found.getParent());
        Files.writeString(found, "the file that arrived since");

        Exchange exchange = refusedWithTheLedgerFull();

        assertThat(reading).as("left where the recovery finds it").hasContent(HEADER);
        assertThat(found).hasContent("the file that arrived since");
        assertThat(exchange.getMessage().getHeader(IngestRefusal.TRY_AGAIN_HEADER)).isNull();
    }

    /**
     * Lines of the file were recorded, then the data folder filled, while a file arrived under its name. Put
     * back beside that file under a free name, it would be known by that name only once the ledger took it, which the
     * full disk refuses, and read as a new file, its recorded lines sent again. It waits in processing instead, and
     * the recovery puts it back and renames it once the ledger works and its lease is over.
     */
    @Test
    void aFileWithRecordedLinesWhoseNameWasTakenWaitsInProcessingForTheRecovery() throws Exception {
        openLedger();
        FolderProperties folders = folders();
        Files.writeString(reading, HEADER + "S-2,,T0Fh\r\nS-3,,T0Fi\r\n");
        String sha256 = "ab".repeat(32);
        long fileId = ledger.files().startFile("fleet.csv", HashFile.DROP_FOLDER, sha256, Files.size(reading), "UTF-8", false, Tenant.SINGLE);
        ledger.files().storeAt(fileId, reading.toString());
        ledger.devices().recordLines(fileId, List.of(new RecordedLine(2, "S-2", "S-2", "T0Fh", null, null, null, null, null, null,
                false)), false, true, 500);
        Files.writeString(found, "the file that arrived since");
        IngestSession session = new IngestSession(reading, reading.resolveSibling("stored.csv"), "fleet.csv",
                HashFileReader.open(reading), fileId, "", false, 0);

        refused(hashesCannotBeStored(), true, session);

        assertThat(reading).as("left where the recovery finds it").exists();
        assertThat(found).hasContent("the file that arrived since");
        assertThat(found.resolveSibling("fleet-2.csv")).as("never under a name the ledger does not know").doesNotExist();

        // Later, the ledger working again: the lease this instance could not give back is over.
        ledger.jdbc().update("UPDATE hash_file SET lease_until = TIMESTAMP '2000-01-01 00:00:00' WHERE id = ?", fileId);
        new IngestRecovery(folders, TestTenants.single(folders), ledger.files(), ledger.devices(), null, ledger.dialect(),
                new FileTaking(new ReportFiles())).takeOver();

        assertThat(found.resolveSibling("fleet-2.csv")).content().startsWith(HEADER);
        assertThat(ledger.files().interruptedRead(sha256, "fleet-2.csv", HashFile.DROP_FOLDER, Tenant.SINGLE)).map(HashFile::id)
                .as("read on from its last recorded line").contains(fileId);
    }

    /**
     * The service's hash spool cannot take a file's hashes (its folder full, here a file where its folder should be),
     * the ledger working: a problem of this machine, never the file's. The file is tried again at every poll until
     * there is room, and never counted as a failed attempt, which three times would send it to dead-letter.
     */
    @Test
    void aFileWhoseHashesCannotBeStoredIsTriedAgainAndNeverRefused() throws Exception {
        triedAgainAndNeverRefused(hashesCannotBeStored());
    }

    /** The spool's failure when its folder cannot be made: a file where the folder should be. */
    private RuntimeException hashesCannotBeStored() throws IOException {
        Path dataDir = Files.createDirectories(dir.resolve("full-data"));
        Files.createDirectories(dataDir.resolve("processing"));
        Files.writeString(dataDir.resolve("processing/hashes"), "not a folder");
        return catchRuntimeException(() -> ServiceFolders.hashSpool(dataDir).append(1, new String[] {"AAAA"}));
    }

    /** The same for the ledger's disk filling up while lines were recorded, the ledger working again by the refusal. */
    @Test
    void aFileWhoseLedgerFailedWhileItWasReadIsTriedAgainAndNeverRefused() throws Exception {
        Path ledgerFolder = Files.createDirectories(dir.resolve("ledger"));
        ledger = H2Ledger.open(ledgerFolder, FullDisk.location(ledgerFolder.resolve("ledger")) + ";WRITE_DELAY=0", Duration.ZERO);
        FullDisk.fill(ledgerFolder);
        RuntimeException recordingFailed;
        try {
            recordingFailed = catchRuntimeException(() -> ledger.jdbc().update(
                    "INSERT INTO ingest_attempt (sha256, attempts, last_error, last_at) VALUES ('cd', 1, 'x', CURRENT_TIMESTAMP)"));
        } finally {
            FullDisk.free(ledgerFolder);
        }
        assertThat(recordingFailed).hasStackTraceContaining("No space left on device");

        triedAgainAndNeverRefused(recordingFailed);
    }

    private void triedAgainAndNeverRefused(RuntimeException cause) throws Exception {
        for (int attempt = 1; attempt <= IngestRefusal.MAX_ATTEMPTS + 1; attempt++) {
            Exchange exchange = refused(cause, false);

            assertThat(found).as("attempt %d: back in the inbox", attempt).hasContent(HEADER);
            assertThat(exchange.getMessage().getHeader(IngestRefusal.TRY_AGAIN_HEADER, Boolean.class)).isTrue();
            assertThat(exchange.getMessage().getHeader(IngestRefusal.REFUSED_HEADER)).isNull();
            Files.move(found, reading);
        }
        assertThat(ledger.jdbc().queryForObject("SELECT COUNT(*) FROM ingest_attempt", Integer.class)).as("no failed attempt").isZero();
    }

    private Exchange refusedWithTheLedgerFull() throws Exception {
        return refused(new IOException("No space left on device"), true);
    }

    private Exchange refused(Exception cause, boolean ledgerFull) throws Exception {
        return refused(cause, ledgerFull, null);
    }

    private Exchange refused(Exception cause, boolean ledgerFull, IngestSession session) throws Exception {
        Path ledgerFolder = openLedger();
        FolderProperties folders = folders();
        if (!Files.exists(reading)) {
            Files.writeString(reading, HEADER);
        }
        IngestRefusal refusal = new IngestRefusal(ledger.files(), ledger.devices(), null, new FileTaking(new ReportFiles()),
                new FileTenants(TestTenants.single(folders), folders), incidents, new ServiceEvents());
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        exchange.setProperty(Exchange.EXCEPTION_CAUGHT, cause);
        exchange.setProperty(HashFileIngest.TAKEN_PROPERTY, new HashFileIngest.Taken(found, reading));
        exchange.setProperty(HashFileIngest.SHA256_PROPERTY, "ab".repeat(32));
        exchange.setProperty("ingest", session);

        if (ledgerFull) {
            FullDisk.fill(ledgerFolder);
        }
        try {
            assertThat(refusal.refuse(exchange, "fleet.csv", HashFile.DROP_FOLDER, null)).as("nothing to notify").isNull();
        } finally {
            FullDisk.free(ledgerFolder);
        }
        return exchange;
    }

    private Path openLedger() throws Exception {
        Path ledgerFolder = Files.createDirectories(dir.resolve("ledger"));
        // Each commit written at once, as the service's ledger writes it.
        if (ledger == null) {
            ledger = H2Ledger.open(ledgerFolder, FullDisk.location(ledgerFolder.resolve("ledger")) + ";WRITE_DELAY=0", Duration.ZERO);
        }
        return ledgerFolder;
    }

    private FolderProperties folders() throws IOException {
        FolderProperties folders = new FolderProperties();
        folders.setInbox(Files.createDirectories(dir.resolve("inbox")));
        folders.setDataDir(Files.createDirectories(dir.resolve("data")));
        Files.createDirectories(reading.getParent());
        return folders;
    }
}
