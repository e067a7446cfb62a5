package org.autopilotbridge.ingest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import org.apache.camel.Exchange;
import org.apache.camel.Header;
import org.apache.camel.util.ObjectHelper;
import org.autopilotbridge.csv.UnreadableHashFileException;
import org.autopilotbridge.finish.DeadLetter;
import org.autopilotbridge.finish.FileReport;
import org.autopilotbridge.ledger.DeviceLedger;
import org.autopilotbridge.ledger.FileLedger;
import org.autopilotbridge.ledger.HashSpool;
import org.autopilotbridge.ops.Incidents;
import org.autopilotbridge.ops.ServiceEvents;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.TransactionException;

/**
 * What becomes of a file that {@link HashFileIngest} could not take in, or not to its end: tried again where it was
 * found, sealed with what was recorded, or sent to dead-letter whole. The ingest route calls it from its catch, so
 * that reading a file and giving up on one can each be read on their own.
 */
@Component("ingestRefusal")
public class IngestRefusal {

    /** Unexpected failures on the same content before it goes to dead-letter. */
    static final int MAX_ATTEMPTS = 3;
    /** Set when the file went to dead-letter, or will with its results: a vendor's route then moves it aside. */
    static final String REFUSED_HEADER = "AutopilotRefused";
    /** Set when the file is to be tried again later: a vendor's route then leaves it on the server, unremembered. */
    static final String TRY_AGAIN_HEADER = "AutopilotTryAgain";
    /** What becomes of a file with recorded lines whose name was taken while it was read (its path in processing follows). */
    private static final String WAITS_FOR_RECOVERY = " stays in processing ({}) for the recovery, which puts it back beside "
            + "that file under a free name and reads it on from its last recorded line: at the next start on the embedded "
            + "ledger, once its lease is over on a shared one.";

    private static final Logger LOG = LoggerFactory.getLogger(IngestRefusal.class);

    private final FileLedger files;
    private final DeviceLedger devices;
    private final DeadLetter deadLetter;
    private final FileTaking taking;
    private final FileTenants tenants;
    private final Incidents incidents;
    private final ServiceEvents events;

    IngestRefusal(FileLedger files, DeviceLedger devices, DeadLetter deadLetter, FileTaking taking, FileTenants tenants,
                  Incidents incidents, ServiceEvents events) {
        this.files = files;
        this.tenants = tenants;
        this.devices = devices;
        this.deadLetter = deadLetter;
        this.taking = taking;
        this.incidents = incidents;
        this.events = events;
    }

    /**
     * The file could not be taken in, or not to its end. When none of its lines was recorded, a file that is not a
     * hash file goes to dead-letter whole at once, and an unexpected failure leaves it in place to be tried again, up
     * to {@link #MAX_ATTEMPTS} times for the same content. When lines were recorded (and perhaps already sent), they
     * are kept: an unexpected failure is tried again from the line after them, and a file that cannot be read on
     * (or fails for the last time) is sealed with one rejected line standing for the rest; it goes to dead-letter
     * beside its results once they are written. A dead-letter folder that cannot be written keeps the file where it
     * is, to be tried again; so does a failure of the ledger or of the data folder under the file, which is never
     * counted against it. Returns the refusal for routes/80-notify.camel.yaml, or null when the
     * file stays (to be tried again) or goes on (its finish is told instead).
     */
    public FileReport refuse(Exchange exchange, @Header(Exchange.FILE_NAME_ONLY) String name,
                             @Header(HashFileIngest.SOURCE_HEADER) String source, @Header(FileTenants.HEADER) String tenant)
            throws IOException {
        Exception cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        IngestSession session = exchange.getProperty("ingest", IngestSession.class);
        if (session != null) {
            session.close();
        }
        if (cause instanceof CannotTakeException cannotTake) {
            // Nothing of it was read or recorded, and it stays where it was found: tried again, said once.
            exchange.getMessage().setHeader(TRY_AGAIN_HEADER, true);
            if (incidents.started(HashFileIngest.TAKE_INCIDENT + source, cannotTake.reason())) {
                LOG.warn("{} from {}: {}. It stays where it is and is tried again; logged again only when the reason "
                        + "changes.", name, source, cannotTake.getMessage());
            }
            return null;
        }
        HashFileIngest.Taken taken = exchange.getProperty(HashFileIngest.TAKEN_PROPERTY, HashFileIngest.Taken.class);
        try {
            return decide(exchange, name, source, tenant, cause, session, taken);
        } catch (DataAccessException | TransactionException ledgerDown) {
            return tryAgainOnceTheLedgerWorks(exchange, name, source, ledgerDown, session, taken);
        }
    }

    private FileReport decide(Exchange exchange, String name, String source, String tenant, Exception cause,
                              IngestSession session, HashFileIngest.Taken taken) throws IOException {
        long recorded = session == null ? 0 : devices.lastLine(session.fileId());
        Path file = taken != null ? taken.file() : HashFileIngest.localFile(exchange);
        if (!Files.exists(file)) {
            forget(session, recorded);
            if (recorded > 0) {
                files.sealUnreadable(session.fileId(), recorded + 1, "the file disappeared while it was being read", null);
            }
            LOG.info("{} from {} disappeared while it was being read{}", name, source,
                    recorded > 0 ? "; the lines recorded before are processed as usual" : "; nothing to do");
            return null;
        }
        String reason = reasonFor(cause);
        events.error(name + " from " + source + ": " + reason);
        if (storageFailed(cause)) {
            // This machine's problem, not the file's: tried again until it is over, never counted against the file.
            tryAgain(exchange, taken, session, recorded);
            if (incidents.started(HashFileIngest.LEDGER_INCIDENT + source, reason)) {
                LOG.error("{} from {} could not be read on: {}. It is tried again{} until the ledger and the data folder take "
                        + "it; logged again only when the reason changes.", name, source, reason,
                        recorded > 0 ? " from line " + (recorded + 1) : "");
            }
            return null;
        }
        String sha256 = exchange.getProperty(HashFileIngest.SHA256_PROPERTY, String.class);
        UnreadableHashFileException unreadable = unreadableCause(cause);
        if (unreadable == null && sha256 != null) {
            int attempts = files.failedAttempt(sha256, reason);
            if (attempts < MAX_ATTEMPTS) {
                tryAgain(exchange, taken, session, recorded);
                LOG.warn("{} from {} could not be processed (attempt {} of {}): {}; it will be tried again{}", name,
                        source, attempts, MAX_ATTEMPTS, reason, recorded > 0 ? " from line " + (recorded + 1) : "");
                return null;
            }
            reason = reason + " (failed " + attempts + " times)";
        }
        if (recorded > 0) {
            long from = unreadable != null && unreadable.line() > recorded ? unreadable.line() : recorded + 1;
            files.sealUnreadable(session.fileId(), from, reason, ProcessingFolders.store(session).toString());
            exchange.getMessage().setHeader(REFUSED_HEADER, true);
            LOG.warn("{} from {} cannot be read from line {} on ({}): the lines before are processed as usual, then the "
                    + "file and its results go to dead-letter", name, source, from, reason);
            return null;
        }
        long size = Files.size(file);
        Path deadLettered;
        try {
            deadLettered = deadLetter.refuseFile(file, name, source, reason, tenants.advice(tenant, unreadable),
                    tenants.deadLetter(tenant));
        } catch (IOException e) {
            tryAgain(exchange, taken, session, recorded);
            if (incidents.started("dead-letter:" + name, e.toString())) {
                LOG.error("{} from {} must go to dead-letter ({}), but it cannot be written there: {}. The file stays "
                        + "where it is and is tried again.", name, source, reason, e.toString());
            }
            return null;
        }
        if (session != null) {
            files.refuseFile(session.fileId(), reason);
        } else {
            files.recordRefusedFile(name, source, sha256, size, reason, FileTenants.nameOf(tenant));
        }
        exchange.getMessage().setHeader(REFUSED_HEADER, true);
        if (incidents.ended("dead-letter:" + name)) {
            LOG.info("Dead-letter folder is writable again");
        }
        return FileReport.refused(name, source, deadLettered, reason, FileTenants.nameOf(tenant));
    }

    /**
     * The ledger itself cannot be used (the embedded ledger's disk is full, the shared one cannot be reached): nothing of
     * the refusal can be recorded. The file goes back to where it was found, and the inbox's read lock, a row in the
     * same ledger, takes it again only once the ledger works; its reading then goes on after the last line recorded.
     * Where a file arrived under its name meanwhile, the ledger could not learn a new name, so the file stays in
     * processing for the recovery, which can (at the next start, or on another instance once its lease runs out).
     */
    private FileReport tryAgainOnceTheLedgerWorks(Exchange exchange, String name, String source, RuntimeException ledgerDown,
                                                  IngestSession session, HashFileIngest.Taken taken) throws IOException {
        if (session != null) {
            stopRenewing(session.fileId());
        }
        String reason = Incidents.describe(ledgerDown);
        boolean news = incidents.started(HashFileIngest.LEDGER_INCIDENT + source, reason);
        if (taken == null || !Files.exists(taken.file())) {
            // Refused to dead-letter already, or gone: nothing to try again.
            LOG.error("{} from {}: the ledger cannot record what became of it: {}", name, source, reason);
            return null;
        }
        if (Files.exists(taken.found())) {
            LOG.error("{} from {} could not be processed, and the ledger cannot be used to say so: {}. A file arrived under "
                    + "its name meanwhile, so it" + WAITS_FOR_RECOVERY, name, source, reason, taken.file());
            return null;
        }
        taking.putBack(taken.file(), taken.found());
        exchange.getMessage().setHeader(TRY_AGAIN_HEADER, true);
        if (news) {
            LOG.error("{} from {} could not be processed, and the ledger cannot be used to say so: {}. It is tried again "
                    + "from the last line recorded once the ledger works again; logged again only when the reason changes.",
                    name, source, reason);
        }
        return null;
    }

    /** This instance stops renewing the file's lease, which runs out by itself: the ledger cannot be told now. */
    private void stopRenewing(long fileId) {
        try {
            files.release(fileId);
        } catch (DataAccessException | TransactionException stillDown) {
            LOG.debug("File #{}: its lease runs out by itself ({})", fileId, Incidents.describe(stillDown));
        }
    }

    /** The file is read again later from where it was found, on from its last recorded line; its lease is given back. */
    private void tryAgain(Exchange exchange, HashFileIngest.Taken taken, IngestSession session, long recorded) throws IOException {
        exchange.getMessage().setHeader(TRY_AGAIN_HEADER, true);
        putBack(taken, session, recorded);
        forget(session, recorded);
    }

    /**
     * Returns a file whose reading is to be tried again to where it was found. Where a file arrived there since and
     * lines of this one were recorded, it stays in processing: put back under a free name, it would be known by that
     * name only once the ledger took it, which the failure under it (a full disk) may refuse, and under a name the
     * ledger does not know it would be read as a new file and its recorded lines sent again. The recovery puts it back
     * and renames it ({@link IngestRecovery}: at the next start on the embedded ledger). A file arriving in the
     * moment between the look and the move is put back beside, and the ledger follows its new name.
     */
    private void putBack(HashFileIngest.Taken taken, IngestSession session, long recorded) throws IOException {
        if (taken == null || !Files.exists(taken.file())) {
            return;
        }
        if (recorded > 0 && Files.exists(taken.found())) {
            LOG.warn("{}: a file arrived under its name while it was read, so it" + WAITS_FOR_RECOVERY, taken.found().getFileName(),
                    taken.file());
            return;
        }
        Path back = taking.putBack(taken.file(), taken.found());
        if (!back.equals(taken.found())) {
            LOG.warn("{} is tried again as {}: a file arrived under its name while it was read", taken.found().getFileName(),
                    back.getFileName());
            if (session != null) {
                files.rename(session.fileId(), back.getFileName().toString());
            }
        }
    }

    /**
     * Drops a file of which nothing was recorded, so that it is read anew; recorded lines are never dropped, and the
     * file's lease is given back so that its reading can go on later, here or on another instance.
     */
    private void forget(IngestSession session, long recorded) {
        if (session != null && recorded == 0) {
            files.discardFile(session.fileId());
        } else if (session != null) {
            files.release(session.fileId());
        }
    }

    /** The reason the file is not a hash file, if that is why it failed. */
    private static UnreadableHashFileException unreadableCause(Throwable e) {
        return ObjectHelper.getException(UnreadableHashFileException.class, e);
    }

    /**
     * The service's own storage failed under the file, not the file: the data folder cannot take its hashes, or the
     * ledger's disk or database failed (a full disk, a database gone or restarting, a lock or time-out). A ledger
     * refusing a value of the file is not among them, and counts as a failed attempt like any other surprise.
     */
    static boolean storageFailed(Throwable e) {
        if (e == null) {
            return false;
        }
        return Stream.of(HashSpool.CannotStoreException.class, TransactionException.class, DataAccessResourceFailureException.class,
                        TransientDataAccessException.class).anyMatch(type -> ObjectHelper.getException(type, e) != null)
                || ObjectHelper.getException(DataAccessException.class, e) != null
                        && NestedExceptionUtils.getMostSpecificCause(e) instanceof IOException;
    }

    /** One line for the reason file: the known reason, or the root cause's type and message, never a stack trace. */
    private static String reasonFor(Exception e) {
        UnreadableHashFileException unreadable = unreadableCause(e);
        if (unreadable != null) {
            return unreadable.getMessage();
        }
        return "processing failed: " + Incidents.describe(e);
    }
}
