package org.autopilotbridge.ingest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.stream.Stream;

import jakarta.annotation.PostConstruct;

import org.autopilotbridge.AutopilotProperties;
import org.autopilotbridge.ledger.HashFile;
import org.autopilotbridge.ledger.DeviceLedger;
import org.autopilotbridge.ledger.FileLedger;
import org.autopilotbridge.ledger.InstanceLedger;
import org.autopilotbridge.ledger.LedgerDialect;
import org.autopilotbridge.ops.SafeNames;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * After a stop in the middle of reading a file (a crash, a kill), before any route runs: the file is put back where
 * it came from, and its reading goes on after the last line recorded (lines already recorded may already have been
 * sent). A file of which nothing was recorded is simply read again; a dropped file that is no longer there is
 * sealed with what was recorded. Everything later (sending, tracking, reporting) resumes from the ledger by itself.
 * On a shared ledger this runs now and then on every instance, for the files whose reader died (their lease ran out).
 */
@Component
public class IngestRecovery {

    private static final Logger LOG = LoggerFactory.getLogger(IngestRecovery.class);

    private final AutopilotProperties properties;
    private final FileLedger files;
    private final DeviceLedger devices;
    private final InstanceLedger instances;
    private final LedgerDialect dialect;

    public IngestRecovery(AutopilotProperties properties, FileLedger files, DeviceLedger devices, InstanceLedger instances,
                          LedgerDialect dialect) {
        this.devices = devices;
        this.properties = properties;
        this.files = files;
        this.instances = instances;
        this.dialect = dialect;
    }

    @PostConstruct
    void atStart() {
        instances.forgetLeasesOfEarlierRuns();
        putBackAbandonedReads(true);
        if (!dialect.shared()) {
            // With several instances, a file in processing may be one another instance is just sealing.
            returnUnclaimedFiles();
        }
    }

    /** On a shared ledger, now and then: puts back the files whose reader died since. */
    public void resumeInterruptedReads() {
        putBackAbandonedReads(false);
    }

    /** Puts back the files whose reading stopped and that nobody reads any more. */
    private void putBackAbandonedReads(boolean atStart) {
        for (HashFile file : files.claimAbandonedReads()) {
            Path stored = file.storedPath() == null ? null : Path.of(file.storedPath());
            boolean fromInbox = HashFile.DROP_FOLDER.equals(file.source());
            try {
                if (stored != null && Files.exists(stored)) {
                    if (fromInbox) {
                        Files.createDirectories(properties.getInbox());
                        Files.move(stored, SafeNames.resolveInside(properties.getInbox(), file.name()), StandardCopyOption.ATOMIC_MOVE);
                    } else {
                        // A vendor's file is still on its server (it moves there only once the route is done).
                        Files.delete(stored);
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot put " + stored + " back to be read again", e);
            }
            long recorded = devices.lastLine(file.id());
            if (recorded == 0) {
                files.discardFile(file.id());
                LOG.info("{} (file #{}) was being read when the service stopped: it is read again from the start",
                        file.name(), file.id());
            } else if (!fromInbox || Files.exists(properties.getInbox().resolve(file.name()))) {
                files.release(file.id());
                if (atStart) {
                    LOG.info("{} (file #{}) was being read when the service stopped: its reading goes on from line {}",
                            file.name(), file.id(), recorded + 1);
                }
            } else {
                files.sealUnreadable(file.id(), recorded + 1, "the file was no longer in the inbox when its reading was "
                        + "to go on, so it was not read to its end", null);
                LOG.warn("{} (file #{}) was being read when the service stopped and is no longer in the inbox: the {} "
                        + "lines recorded are processed, the rest is reported unread", file.name(), file.id(), recorded);
            }
        }
    }

    /** A file in processing that no recorded file claims (a ledger restored from an older backup) is read again. */
    private void returnUnclaimedFiles() {
        Path processing = HashFileIngest.processingDir(properties);
        if (!Files.isDirectory(processing)) {
            return;
        }
        try (Stream<Path> waiting = Files.list(processing)) {
            for (Path file : waiting.filter(Files::isRegularFile).toList()) {
                if (!files.isStoredAt(file.toString())) {
                    String name = file.getFileName().toString().replaceFirst("^\\d+-", "");
                    Files.createDirectories(properties.getInbox());
                    Files.move(file, SafeNames.resolveInside(properties.getInbox(), name), StandardCopyOption.ATOMIC_MOVE);
                    LOG.warn("{} was in processing without a record in the ledger: it is read again", name);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot check " + processing, e);
        }
    }
}
