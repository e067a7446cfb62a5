package org.autopilotbridge.ingest;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Header;
import org.autopilotbridge.config.FolderProperties;
import org.autopilotbridge.config.GraphProperties;
import org.autopilotbridge.config.ImportProperties;
import org.autopilotbridge.config.TenantProperties;
import org.autopilotbridge.config.UpdateProperties;
import org.autopilotbridge.csv.DeviceRow;
import org.autopilotbridge.csv.HashFileReader;
import org.autopilotbridge.csv.UnreadableHashFileException;
import org.autopilotbridge.finish.DeadLetter;
import org.autopilotbridge.finish.FileReport;
import org.autopilotbridge.ledger.DeviceLedger;
import org.autopilotbridge.ledger.FileLedger;
import org.autopilotbridge.ledger.HashFile;
import org.autopilotbridge.ledger.RecordedLine;
import org.autopilotbridge.ops.Incidents;
import org.autopilotbridge.ops.SafeNames;
import org.autopilotbridge.ops.ServiceEvents;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Reads a dropped file into the ledger: {@link #open} checks it is a hash file at all, {@link #record} validates
 * and stores each chunk of lines, {@link #seal} finishes the file's lines and moves it out of the inbox. From
 * then on the file's devices are sent and followed from the ledger, and the inbox route is free for the next file.
 */
@Component("hashFileIngest")
public class HashFileIngest {

    static final int CHUNK_SIZE = 1000;
    /** Unexpected failures on the same content before it goes to dead-letter. */
    static final int MAX_ATTEMPTS = 3;
    static final String SOURCE_HEADER = "AutopilotSource";
    static final String GROUP_TAG_HEADER = "AutopilotGroupTag";
    static final String REFUSED_HEADER = "AutopilotRefused";
    /** Set when the file is to be tried again later: a vendor's route then leaves it on the server, unremembered. */
    static final String TRY_AGAIN_HEADER = "AutopilotTryAgain";
    private static final String SHA256_PROPERTY = "autopilotSha256";
    private static final String TAKEN_PROPERTY = "autopilotTaken";
    private static final String TAKE_INCIDENT = "take:";
    static final String UPDATES_OFF = "Hardware Hash is empty, and registered devices are not updated from files "
            + "(autopilot.update-existing is false)";

    private static final Logger LOG = LoggerFactory.getLogger(HashFileIngest.class);

    private final FolderProperties properties;
    private final TenantProperties tenant;
    private final ImportProperties imports;
    private final UpdateProperties updates;
    private final GraphProperties graph;
    private final DeviceRowValidator validator;
    private final FileLedger files;
    private final DeviceLedger devices;
    private final DeadLetter deadLetter;
    private final FileTaking taking;
    private final Incidents incidents;
    private final ServiceEvents events;

    HashFileIngest(FolderProperties properties, TenantProperties tenant, ImportProperties imports, UpdateProperties updates,
                   GraphProperties graph, DeviceRowValidator validator, FileLedger files, DeviceLedger devices,
                   DeadLetter deadLetter, FileTaking taking, Incidents incidents, ServiceEvents events) {
        this.taking = taking;
        this.properties = properties;
        this.tenant = tenant;
        this.imports = imports;
        this.updates = updates;
        this.graph = graph;
        this.validator = validator;
        this.files = files;
        this.devices = devices;
        this.deadLetter = deadLetter;
        this.incidents = incidents;
        this.events = events;
    }

    /** Where a file was found, and where it was taken to be read. */
    record Taken(Path found, Path file) {
    }

    /**
     * Takes the file out of the inbox (or Camel's local copy of a vendor's file) into processing before anything of it
     * is read, then checks it is a hash file and records it. A file dropped under the same name from now on is a new
     * file, never mistaken for this one.
     */
    public IngestSession open(@Header(Exchange.FILE_NAME_ONLY) String name, @Header(SOURCE_HEADER) String source,
                              @Header(GROUP_TAG_HEADER) String vendorGroupTag, Exchange exchange) throws IOException {
        Path found = localFile(exchange);
        Path file;
        try {
            file = taking.take(found, name, readingDir(properties, source));
        } catch (NoSuchFileException gone) {
            throw gone;
        } catch (IOException e) {
            throw new CannotTakeException(found, e);
        }
        exchange.setProperty(TAKEN_PROPERTY, new Taken(found, file));
        if (incidents.ended(TAKE_INCIDENT + source)) {
            LOG.info("Files from {} are taken into processing again", source);
        }
        String sha256 = sha256(file);
        exchange.setProperty(SHA256_PROPERTY, sha256);
        HashFileReader reader = HashFileReader.open(file);
        if (!reader.hasNext()) {
            reader.close();
            throw new UnreadableHashFileException("the file has a header but no device lines");
        }
        boolean dryRun = tenant.isDryRunEffective();
        String groupTag = vendorGroupTag != null && !vendorGroupTag.isBlank() ? vendorGroupTag : imports.getGroupTag();
        Optional<HashFile> interrupted = files.interruptedRead(sha256, name, source);
        if (interrupted.isPresent()) {
            long fileId = interrupted.get().id();
            long resumeAfter = devices.lastLine(fileId);
            LOG.info("Reading {} from {} (file #{}) on from line {}: its reading was interrupted after that line", name,
                    source, fileId, resumeAfter);
            files.storeAt(fileId, file.toString());
            return new IngestSession(file, storedPath(fileId, name), name, reader, fileId, groupTag, false, resumeAfter);
        }
        long fileId = files.startFile(name, source, sha256, Files.size(file), reader.encoding(), dryRun);
        // While it is read, the file waits where it was taken to; a restart puts it back from there.
        files.storeAt(fileId, file.toString());
        Optional<HashFile> earlier = files.earlierRun(sha256, dryRun).filter(e -> e.id() != fileId);
        if (earlier.isPresent()) {
            files.copyAsDuplicate(fileId, earlier.get());
            LOG.info("{} from {} has the same content as {} (file #{}): reported as duplicate, not imported again",
                    name, source, earlier.get().name(), earlier.get().id());
        } else {
            LOG.info("Reading {} from {} (file #{}, {}, {} bytes{})", name, source, fileId, reader.encoding(),
                    Files.size(file), dryRun ? ", dry run" : "");
        }
        return new IngestSession(file, storedPath(fileId, name), name, reader, fileId, groupTag, earlier.isPresent(), 0);
    }

    public void record(List<DeviceRow> chunk, @ExchangeProperty("ingest") IngestSession session) {
        List<RecordedLine> lines = new ArrayList<>(chunk.size());
        for (DeviceRow row : chunk) {
            RecordedLine line = validator.validate(row, session.defaultGroupTag());
            lines.add(line.updateOnly() && !updates.isUpdateExisting() ? line.rejected(UPDATES_OFF) : line);
        }
        devices.recordLines(session.fileId(), lines, tenant.isDryRunEffective(), updates.isUpdateExisting(), graph.getBatchSize());
        if (session.counted(lines.size())) {
            LOG.info("Reading {} (file #{}): {} lines recorded so far", session.name(), session.fileId(), session.lines());
        }
    }

    /**
     * Every line is recorded: the file moves to processing, and only then is it sealed in the ledger. A file that
     * could not be read to its end is refused from the line where reading stopped instead.
     */
    public void seal(@ExchangeProperty("ingest") IngestSession session) throws IOException {
        if (session.unreadable() != null) {
            throw session.unreadable();
        }
        session.close();
        Path stored = store(session);
        files.sealFile(session.fileId(), tenant.isDryRunEffective(), stored.toString());
        LOG.info("Recorded {} lines of {} (file #{})", session.lines(), session.name(), session.fileId());
    }

    /**
     * The file could not be taken in, or not to its end. When none of its lines was recorded, a file that is not a
     * hash file goes to dead-letter whole at once, and an unexpected failure leaves it in place to be tried again, up
     * to {@link #MAX_ATTEMPTS} times for the same content. When lines were recorded (and perhaps already sent), they
     * are kept: an unexpected failure is tried again from the line after them, and a file that cannot be read on
     * (or fails for the last time) is sealed with one rejected line standing for the rest; it goes to dead-letter
     * beside its results once they are written. A dead-letter folder that cannot be written keeps the file where it
     * is, to be tried again. Returns the refusal for routes/80-notify.camel.yaml, or null when the
     * file stays (to be tried again) or goes on (its finish is told instead).
     */
    public FileReport refuse(Exchange exchange, @Header(Exchange.FILE_NAME_ONLY) String name,
                       @Header(SOURCE_HEADER) String source) throws IOException {
        Exception cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        IngestSession session = exchange.getProperty("ingest", IngestSession.class);
        if (session != null) {
            session.close();
        }
        if (cause instanceof CannotTakeException cannotTake) {
            // Nothing of it was read or recorded, and it stays where it was found: tried again, said once.
            exchange.getMessage().setHeader(TRY_AGAIN_HEADER, true);
            if (incidents.started(TAKE_INCIDENT + source, cannotTake.getMessage())) {
                LOG.warn("{} from {}: {}. It stays where it is and is tried again; logged again only when the reason "
                        + "changes.", name, source, cannotTake.getMessage());
            }
            return null;
        }
        long recorded = session == null ? 0 : devices.lastLine(session.fileId());
        Taken taken = exchange.getProperty(TAKEN_PROPERTY, Taken.class);
        Path file = taken != null ? taken.file() : localFile(exchange);
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
        String sha256 = exchange.getProperty(SHA256_PROPERTY, String.class);
        UnreadableHashFileException unreadable = unreadableCause(cause);
        if (unreadable == null && sha256 != null) {
            int attempts = files.failedAttempt(sha256, reason);
            if (attempts < MAX_ATTEMPTS) {
                exchange.getMessage().setHeader(TRY_AGAIN_HEADER, true);
                putBack(taken, session);
                forget(session, recorded);
                LOG.warn("{} from {} could not be processed (attempt {} of {}): {}; it will be tried again{}", name,
                        source, attempts, MAX_ATTEMPTS, reason, recorded > 0 ? " from line " + (recorded + 1) : "");
                return null;
            }
            reason = reason + " (failed " + attempts + " times)";
        }
        if (recorded > 0) {
            long from = unreadable != null && unreadable.line() > recorded ? unreadable.line() : recorded + 1;
            files.sealUnreadable(session.fileId(), from, reason, store(session).toString());
            exchange.getMessage().setHeader(REFUSED_HEADER, true);
            LOG.warn("{} from {} cannot be read from line {} on ({}): the lines before are processed as usual, then the "
                    + "file and its results go to dead-letter", name, source, from, reason);
            return null;
        }
        long size = Files.size(file);
        Path deadLettered;
        try {
            deadLettered = deadLetter.refuseFile(file, name, source, reason);
        } catch (IOException e) {
            exchange.getMessage().setHeader(TRY_AGAIN_HEADER, true);
            putBack(taken, session);
            forget(session, recorded);
            if (incidents.started("dead-letter:" + name, e.toString())) {
                LOG.error("{} from {} must go to dead-letter ({}), but it cannot be written there: {}. The file stays "
                        + "where it is and is tried again.", name, source, reason, e.toString());
            }
            return null;
        }
        if (session != null) {
            files.refuseFile(session.fileId(), reason);
        } else {
            files.recordRefusedFile(name, source, sha256, size, reason);
        }
        exchange.getMessage().setHeader(REFUSED_HEADER, true);
        if (incidents.ended("dead-letter:" + name)) {
            LOG.info("Dead-letter folder is writable again");
        }
        return FileReport.refused(name, source, deadLettered, reason);
    }

    /**
     * Returns a file whose reading is to be tried again to where it was found, under a free name if a file arrived
     * there since; the ledger then knows it by that name, so that its reading goes on from where it stopped.
     */
    private void putBack(Taken taken, IngestSession session) throws IOException {
        if (taken == null || !Files.exists(taken.file())) {
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

    /** Moves the original into processing, where it waits while its devices are followed. */
    private static Path store(IngestSession session) throws IOException {
        Path stored = session.storedPath();
        Files.createDirectories(stored.getParent());
        Files.move(session.file(), stored, StandardCopyOption.ATOMIC_MOVE);
        return stored;
    }

    private Path storedPath(long fileId, String name) throws IOException {
        return storedPath(properties, fileId, name);
    }

    /** Where a file waits once read: its id keeps it apart from every other file of the same name. */
    static Path storedPath(FolderProperties properties, long fileId, String name) throws IOException {
        return SafeNames.resolveInside(processingDir(properties), fileId + "-" + name);
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

    public void close(@ExchangeProperty("ingest") IngestSession session) {
        if (session != null) {
            session.close();
        }
    }

    /** Where files wait, once their lines are recorded, while their devices are sent and followed. */
    static Path processingDir(FolderProperties properties) {
        return properties.getDataDir().resolve("processing").toAbsolutePath();
    }

    /** Where files are taken to be read, one folder per kind of source: a restart returns each to its own. */
    static Path readingDir(FolderProperties properties, String source) {
        return processingDir(properties).resolve("reading")
                .resolve(HashFile.DROP_FOLDER.equals(source) ? HashFile.DROP_FOLDER : "vendor");
    }

    /** The file on local disk: the drop folder's own, or the local copy of a file fetched by SFTP. */
    private static Path localFile(Exchange exchange) {
        String localCopy = exchange.getMessage().getHeader(Exchange.FILE_LOCAL_WORK_PATH, String.class);
        return Path.of(localCopy != null ? localCopy : exchange.getMessage().getHeader(Exchange.FILE_PATH, String.class));
    }

    /** The reason the file is not a hash file, if that is why it failed. */
    private static UnreadableHashFileException unreadableCause(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof UnreadableHashFileException unreadable) {
                return unreadable;
            }
        }
        return null;
    }

    /** One line for the reason file: the known reason, or the root cause's type and message, never a stack trace. */
    private static String reasonFor(Exception e) {
        UnreadableHashFileException unreadable = unreadableCause(e);
        if (unreadable != null) {
            return unreadable.getMessage();
        }
        return "processing failed: " + Incidents.describe(e);
    }

    private static String sha256(Path file) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
            in.transferTo(OutputStream.nullOutputStream());
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
