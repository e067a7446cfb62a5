package org.autopilotbridge.ingest;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
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
import org.autopilotbridge.config.TenantProperties;
import org.autopilotbridge.config.UpdateProperties;
import org.autopilotbridge.csv.DeviceRow;
import org.autopilotbridge.csv.HashFileReader;
import org.autopilotbridge.csv.UnreadableHashFileException;
import org.autopilotbridge.ledger.DeviceLedger;
import org.autopilotbridge.ledger.DuplicateFiles;
import org.autopilotbridge.ledger.FileLedger;
import org.autopilotbridge.ledger.HashFile;
import org.autopilotbridge.ledger.RecordedChunk;
import org.autopilotbridge.ledger.RecordedLine;
import org.autopilotbridge.ops.Incidents;
import org.autopilotbridge.tenant.Tenant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Reads a dropped file into the ledger: {@link #open} takes it out of the inbox into processing and checks it is a
 * hash file at all, {@link #record} validates and stores each chunk of lines, {@link #seal} finishes the file's lines
 * and moves it to where it waits in processing. From then on the file's devices are sent and followed from the
 * ledger, and the inbox route is free for the next file.
 * A file that cannot be taken in, or not to its end, is {@link IngestRefusal}'s.
 */
@Component("hashFileIngest")
public class HashFileIngest {

    /**
     * Lines recorded in one transaction. Small enough that a chunk (a hash is some 4 KB) is done with before the next
     * young collection, instead of being promoted and filling the old generation: 1,000 lines took about as long as
     * the young collections came, and cost full collections (docs/performance.md).
     */
    public static final int CHUNK_SIZE = 250;
    static final String SOURCE_HEADER = "AutopilotSource";
    static final String GROUP_TAG_HEADER = "AutopilotGroupTag";
    /** Left on the exchange by {@link #open} for {@link IngestRefusal}: the content's hash and where the file went. */
    static final String SHA256_PROPERTY = "autopilotSha256";
    static final String TAKEN_PROPERTY = "autopilotTaken";
    /** The incident of a source whose files cannot be taken: started by the refusal, ended by the next file taken. */
    static final String TAKE_INCIDENT = "take:";
    /**
     * The incident of a source whose file could not be refused or read on, the ledger or the data folder failing; over
     * once a file from it is read to its end (a data folder too small for a file fails it again at every try, said once).
     */
    static final String LEDGER_INCIDENT = "ingest-ledger:";
    static final String UPDATES_OFF = "Hardware Hash is empty, and registered devices are not updated from files "
            + "(autopilot.update-existing is false)";

    private static final Logger LOG = LoggerFactory.getLogger(HashFileIngest.class);

    private final FolderProperties properties;
    private final TenantProperties tenant;
    private final FileTenants tenants;
    private final UpdateProperties updates;
    private final GraphProperties graph;
    private final DeviceRowValidator validator;
    private final FileLedger files;
    private final DuplicateFiles duplicates;
    private final DeviceLedger devices;
    private final FileTaking taking;
    private final Incidents incidents;

    HashFileIngest(FolderProperties properties, TenantProperties tenant, FileTenants tenants, UpdateProperties updates,
                   GraphProperties graph, DeviceRowValidator validator, FileLedger files, DuplicateFiles duplicates, DeviceLedger devices,
                   FileTaking taking, Incidents incidents) {
        this.taking = taking;
        this.properties = properties;
        this.tenant = tenant;
        this.tenants = tenants;
        this.updates = updates;
        this.graph = graph;
        this.validator = validator;
        this.files = files;
        this.duplicates = duplicates;
        this.devices = devices;
        this.incidents = incidents;
    }

    /** Where a file was found, and where it was taken to be read. */
    record Taken(Path found, Path file) {
    }

    /**
     * Takes the file out of the inbox (or Camel's local copy of a vendor's file) into processing before anything of it
     * is read, then checks it is a hash file and records it. A file dropped under the same name from now on is a new
     * file, never mistaken for this one. A file for no tenant (see {@link FileTenants}) is refused before it is taken.
     */
    public IngestSession open(@Header(Exchange.FILE_NAME_ONLY) String name, @Header(SOURCE_HEADER) String source,
                              @Header(GROUP_TAG_HEADER) String vendorGroupTag, @Header(FileTenants.HEADER) String tenantName,
                              Exchange exchange) throws IOException {
        Tenant owner = tenants.of(tenantName);
        Path found = localFile(exchange);
        Path file;
        try {
            file = taking.take(found, name, ProcessingFolders.readingDir(properties, source, owner.name()));
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
        String groupTag = vendorGroupTag != null && !vendorGroupTag.isBlank() ? vendorGroupTag : owner.groupTag();
        Optional<HashFile> interrupted = files.interruptedRead(sha256, name, source, owner.name());
        if (interrupted.isPresent()) {
            long fileId = interrupted.get().id();
            long resumeAfter = devices.lastLine(fileId);
            LOG.info("Reading {} from {} (file #{}) on from line {}: its reading was interrupted after line {}", name,
                    source, fileId, resumeAfter + 1, resumeAfter);
            files.storeAt(fileId, file.toString());
            return new IngestSession(file, ProcessingFolders.storedPath(properties, fileId, name), name, reader, fileId, groupTag, false, resumeAfter);
        }
        long fileId = files.startFile(name, source, sha256, Files.size(file), reader.encoding(), dryRun, owner.name());
        // While it is read, the file waits where it was taken to; a restart puts it back from there.
        files.storeAt(fileId, file.toString());
        Optional<HashFile> earlier = duplicates.earlierRun(sha256, dryRun, owner.name()).filter(e -> e.id() != fileId);
        if (earlier.isPresent()) {
            duplicates.copyAsDuplicate(fileId, earlier.get());
            LOG.info("{} from {} has the same content as {} (file #{}): reported as duplicate, not imported again",
                    name, source, earlier.get().name(), earlier.get().id());
        } else {
            LOG.info("Reading {} from {}{} (file #{}, {}, {} bytes{})", name, source, tenants.forTenant(owner), fileId,
                    reader.encoding(), Files.size(file), dryRun ? ", dry run" : "");
        }
        return new IngestSession(file, ProcessingFolders.storedPath(properties, fileId, name), name, reader, fileId, groupTag, earlier.isPresent(), 0);
    }

    /** Validates and records a chunk of lines; returns what that made ready for the submit and update stages. */
    public RecordedChunk record(List<DeviceRow> chunk, @ExchangeProperty("ingest") IngestSession session) {
        List<RecordedLine> lines = new ArrayList<>(chunk.size());
        for (DeviceRow row : chunk) {
            RecordedLine line = validator.validate(row, session.defaultGroupTag());
            lines.add(line.updateOnly() && !updates.isUpdateExisting() ? line.rejected(UPDATES_OFF) : line);
        }
        RecordedChunk recorded = devices.recordLines(session.fileId(), lines, tenant.isDryRunEffective(), updates.isUpdateExisting(),
                graph.getBatchSize());
        if (session.counted(lines.size())) {
            LOG.info("Reading {} (file #{}): {} lines recorded so far", session.name(), session.fileId(), session.lines());
        }
        return recorded;
    }

    /**
     * Every line is recorded: the file moves to processing, and only then is it sealed in the ledger. A file that
     * could not be read to its end is refused from the line where reading stopped instead.
     */
    public void seal(@ExchangeProperty("ingest") IngestSession session, @Header(SOURCE_HEADER) String source) throws IOException {
        if (session.unreadable() != null) {
            throw session.unreadable();
        }
        session.close();
        Path stored = ProcessingFolders.store(session);
        files.sealFile(session.fileId(), tenant.isDryRunEffective(), stored.toString());
        LOG.info("Recorded {} lines of {} (file #{})", session.lines(), session.name(), session.fileId());
        if (incidents.ended(LEDGER_INCIDENT + source)) {
            LOG.info("Files from {} are read into the ledger again", source);
        }
    }

    public void close(@ExchangeProperty("ingest") IngestSession session) {
        if (session != null) {
            session.close();
        }
    }

    /** The file on local disk: the drop folder's own, or the local copy of a file fetched by SFTP. */
    static Path localFile(Exchange exchange) {
        String localCopy = exchange.getMessage().getHeader(Exchange.FILE_LOCAL_WORK_PATH, String.class);
        return Path.of(localCopy != null ? localCopy : exchange.getMessage().getHeader(Exchange.FILE_PATH, String.class));
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
