package org.autopilotbridge.ingest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import jakarta.annotation.PostConstruct;

import org.autopilotbridge.cluster.OrphanedWork;
import org.autopilotbridge.config.FolderProperties;
import org.autopilotbridge.ledger.DeviceLedger;
import org.autopilotbridge.ledger.FileLedger;
import org.autopilotbridge.ledger.HashFile;
import org.autopilotbridge.ledger.InstanceLedger;
import org.autopilotbridge.ledger.LedgerDialect;
import org.autopilotbridge.ops.SafeNames;
import org.autopilotbridge.tenant.Tenant;
import org.autopilotbridge.tenant.Tenants;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * After a stop in the middle of reading a file (a crash, a kill), before any route runs: the file is put back where
 * it came from, and its reading goes on after the last line recorded (lines already recorded may already have been
 * sent). A file of which nothing was recorded is simply read again; a dropped file that is no longer there is
 * sealed with what was recorded. Everything later (sending, tracking, reporting) resumes from the ledger by itself.
 * On a shared ledger this runs now and then on every instance, for the files whose reader died (their lease ran out).
 * A file left in processing because a file arrived under its name while the ledger failed under its reading
 * ({@link IngestRefusal}) goes back beside that file under a free name, which the ledger follows. On the embedded
 * ledger this runs at start only: with one instance, a claim here and the reader's own lease have the same owner, so a
 * round while a file is being read could take the reader's lease from it.
 * A dropped file goes back to its own tenant's inbox, the one the ledger (or the folder it was taken to) names.
 */
@Component
class IngestRecovery implements OrphanedWork {

    private static final Logger LOG = LoggerFactory.getLogger(IngestRecovery.class);
    /**
     * A file taken this long ago and still unrecorded was taken by a reader that stopped: taking ends when the file is
     * in place, and hashing and recording it take seconds. Short, since until then no other instance reads it.
     */
    private static final Duration UNRECORDED_AFTER = Duration.ofMinutes(1);

    private final FolderProperties properties;
    private final Tenants tenants;
    private final FileLedger files;
    private final DeviceLedger devices;
    private final InstanceLedger instances;
    private final LedgerDialect dialect;
    private final FileTaking taking;

    IngestRecovery(FolderProperties properties, Tenants tenants, FileLedger files, DeviceLedger devices, InstanceLedger instances,
                   LedgerDialect dialect, FileTaking taking) {
        this.taking = taking;
        this.devices = devices;
        this.properties = properties;
        this.tenants = tenants;
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
    @Override
    public void takeOver() {
        putBackAbandonedReads(false);
    }

    /** Puts back the files whose reading stopped and that nobody reads any more. */
    private void putBackAbandonedReads(boolean atStart) {
        for (HashFile file : files.claimAbandonedReads()) {
            boolean fromInbox = HashFile.DROP_FOLDER.equals(file.source());
            Path inbox = inboxOf(file.tenant());
            long recorded = devices.lastLine(file.id());
            if (recorded == 0) {
                // Forgotten before the file is back: an instance that takes it at once reads it as the new file it is.
                files.discardFile(file.id());
            }
            Path stored = null;
            Path inboxCopy;
            boolean putBack = false;
            try {
                // Where it was read from, or, when the service stopped just as the read file was stored, where it went.
                stored = file.storedPath() == null || !Files.exists(Path.of(file.storedPath()))
                        ? ProcessingFolders.storedPath(properties, file.id(), file.name()) : Path.of(file.storedPath());
                inboxCopy = SafeNames.resolveInside(inbox, file.name());
                if (stored != null && Files.exists(stored) && fromInbox) {
                    Files.createDirectories(inbox);
                    inboxCopy = taking.putBack(stored, inboxCopy);
                    putBack = true;
                    if (recorded > 0) {
                        files.rename(file.id(), inboxCopy.getFileName().toString());
                    }
                } else if (stored != null && Files.exists(stored)) {
                    // A vendor's file is still on its server (it moves there only once the route is done).
                    Files.delete(stored);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot put " + stored + " back to be read again", e);
            }
            if (recorded == 0) {
                LOG.info("{} (file #{}) was being read when the service stopped: it is read again from the start",
                        inboxCopy.getFileName(), file.id());
            } else if (putBack || !fromInbox || Files.exists(inboxCopy) || beingTaken(file.name(), inbox, file.tenant())) {
                // Once back in a shared inbox another instance may take it at once and go on with it under its own
                // lease: the file is gone from the inbox then, yet far from unreadable, and the lease is no longer ours.
                // Released, too, is a file put back earlier that another instance is taking but has not leased yet.
                files.release(file.id());
                if (atStart) {
                    LOG.info("{} (file #{}) was being read when the service stopped: its reading goes on from line {}",
                            inboxCopy.getFileName(), file.id(), recorded + 1);
                }
            } else {
                files.sealUnreadable(file.id(), recorded + 1, "the file was no longer in the inbox when its reading was "
                        + "to go on, so it was not read to its end", null);
                LOG.warn("{} (file #{}) was being read when the service stopped and is no longer in the inbox: the {} "
                        + "lines recorded are processed, the rest is reported unread", file.name(), file.id(), recorded);
            }
        }
        returnUnrecordedTakes(atStart);
    }

    /**
     * The inbox of the tenant a file was dropped for. A tenant since removed from the configuration has none: its file
     * goes to the top-level inbox, where a service of several tenants refuses it with the folders it may go to.
     */
    private Path inboxOf(String tenant) {
        return tenants.find(tenant).map(t -> t.folders().inbox()).orElse(properties.getInbox());
    }

    /**
     * True while an instance is taking a dropped file of this name: moved aside in the inbox or into the reading
     * folder, and not yet hashed and leased. Looked for in the order a take moves the file, after the inbox, so that a
     * take under way cannot slip past unseen.
     */
    private boolean beingTaken(String name, Path inbox, String tenant) {
        try (Stream<Path> aside = list(inbox);
             Stream<Path> reading = list(ProcessingFolders.readingDir(properties, HashFile.DROP_FOLDER, tenant))) {
            return aside.anyMatch(f -> FileTaking.droppedNameAside(f).filter(name::equals).isPresent())
                    || reading.anyMatch(f -> FileTaking.droppedName(f).filter(name::equals).isPresent());
        }
    }

    private static Stream<Path> list(Path folder) {
        try {
            return Files.isDirectory(folder) ? Files.list(folder) : Stream.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + folder, e);
        }
    }

    /**
     * Files taken to be read by a reader that stopped before it recorded them: a dropped file goes back to the inbox
     * (as does one left half-way across file systems), a vendor's copy is dropped, since the file is still on the
     * server. On a shared ledger another instance may be about to record its file, so only old ones count there.
     */
    private void returnUnrecordedTakes(boolean atStart) {
        Instant takenBefore = atStart && !dialect.shared() ? Instant.MAX : Instant.now().minus(UNRECORDED_AFTER);
        try {
            // The one tenant's folder too where several are served: a file a single-tenant service was taking when
            // it stopped goes back to autopilot.inbox, which then says where it belongs.
            Set<String> names = new LinkedHashSet<>(List.of(Tenant.SINGLE));
            tenants.all().forEach(t -> names.add(t.name()));
            for (String tenant : names) {
                returnUnrecordedTakes(ProcessingFolders.readingDir(properties, HashFile.DROP_FOLDER, tenant), inboxOf(tenant),
                        takenBefore);
            }
            for (Path taken : unrecorded(ProcessingFolders.readingDir(properties, "vendor", null), takenBefore)) {
                Files.delete(taken);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot return the files taken to be read", e);
        }
    }

    /** The files taken from one inbox and never recorded go back there, as do those a take left aside in it. */
    private void returnUnrecordedTakes(Path readingDir, Path inbox, Instant takenBefore) throws IOException {
        for (Path taken : unrecorded(readingDir, takenBefore)) {
            Path back = taking.putBack(taken, inbox.resolve(FileTaking.droppedName(taken).orElseThrow()));
            LOG.warn("{} was taken to be read when its reader stopped: it is read again", back.getFileName());
        }
        if (Files.isDirectory(inbox)) {
            try (Stream<Path> aside = Files.list(inbox)) {
                for (Path file : aside.filter(f -> FileTaking.droppedNameAside(f).isPresent())
                        .filter(f -> modifiedBefore(f, takenBefore)).toList()) {
                    taking.putBack(file, file.resolveSibling(FileTaking.droppedNameAside(file).orElseThrow()));
                }
            }
        }
    }

    private List<Path> unrecorded(Path readingDir, Instant takenBefore) throws IOException {
        if (!Files.isDirectory(readingDir)) {
            return List.of();
        }
        try (Stream<Path> taken = Files.list(readingDir)) {
            return taken.filter(Files::isRegularFile).filter(f -> !f.getFileName().toString().startsWith("."))
                    .filter(f -> modifiedBefore(f, takenBefore)).filter(f -> !files.isKnownAt(f.toString())).toList();
        }
    }

    private static boolean modifiedBefore(Path file, Instant before) {
        try {
            return Files.getLastModifiedTime(file).toInstant().isBefore(before);
        } catch (IOException gone) {
            return false;
        }
    }

    /**
     * A file in processing that no recorded file claims (a ledger restored from an older backup) is read again. With
     * no record its tenant is unknown: it goes to the top-level inbox, which a service of several tenants refuses
     * with the folders it may go to.
     */
    private void returnUnclaimedFiles() {
        Path processing = ProcessingFolders.processingDir(properties);
        if (!Files.isDirectory(processing)) {
            return;
        }
        try (Stream<Path> waiting = Files.list(processing)) {
            for (Path file : waiting.filter(Files::isRegularFile).toList()) {
                if (!files.isStoredAt(file.toString())) {
                    String name = file.getFileName().toString().replaceFirst("^\\d+-", "");
                    Files.createDirectories(properties.getInbox());
                    Path back = taking.putBack(file, SafeNames.resolveInside(properties.getInbox(), name));
                    LOG.warn("{} was in processing without a record in the ledger: it is read again", back.getFileName());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot check " + processing, e);
        }
    }
}
