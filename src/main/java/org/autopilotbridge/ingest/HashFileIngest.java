package org.autopilotbridge.ingest;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Header;
import org.autopilotbridge.AutopilotProperties;
import org.autopilotbridge.csv.DeviceRow;
import org.autopilotbridge.csv.HashFileReader;
import org.autopilotbridge.csv.UnreadableHashFileException;
import org.autopilotbridge.ledger.Ledger;
import org.autopilotbridge.ledger.RecordedLine;
import org.autopilotbridge.report.DeadLetter;
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
    static final String SOURCE_HEADER = "AutopilotSource";
    static final String GROUP_TAG_HEADER = "AutopilotGroupTag";
    static final String REFUSED_HEADER = "AutopilotRefused";

    private static final Logger LOG = LoggerFactory.getLogger(HashFileIngest.class);

    private final AutopilotProperties properties;
    private final DeviceRowValidator validator;
    private final Ledger ledger;
    private final DeadLetter deadLetter;

    public HashFileIngest(AutopilotProperties properties, DeviceRowValidator validator, Ledger ledger, DeadLetter deadLetter) {
        this.properties = properties;
        this.validator = validator;
        this.ledger = ledger;
        this.deadLetter = deadLetter;
    }

    public IngestSession open(@Header(Exchange.FILE_NAME_ONLY) String name, @Header(SOURCE_HEADER) String source,
                              @Header(GROUP_TAG_HEADER) String vendorGroupTag, Exchange exchange)
            throws IOException, UnreadableHashFileException {
        Path file = localFile(exchange);
        String sha256 = sha256(file);
        HashFileReader reader = HashFileReader.open(file);
        if (!reader.hasNext()) {
            reader.close();
            throw new UnreadableHashFileException("the file has a header but no device lines");
        }
        boolean dryRun = properties.isDryRunEffective();
        long fileId = ledger.startFile(name, source, sha256, Files.size(file), reader.encoding(), dryRun);
        LOG.info("Reading {} from {} (file #{}, {}, {} bytes{})", name, source, fileId, reader.encoding(),
                Files.size(file), dryRun ? ", dry run" : "");
        String groupTag = vendorGroupTag != null && !vendorGroupTag.isBlank() ? vendorGroupTag : properties.getGroupTag();
        return new IngestSession(file, name, source, reader, fileId, groupTag);
    }

    public void record(List<DeviceRow> chunk, @ExchangeProperty("ingest") IngestSession session) {
        List<RecordedLine> lines = new ArrayList<>(chunk.size());
        for (DeviceRow row : chunk) {
            lines.add(validator.validate(row, session.defaultGroupTag()));
        }
        ledger.recordLines(session.fileId(), lines);
        session.counted(lines.size());
    }

    public void seal(@ExchangeProperty("ingest") IngestSession session) throws IOException {
        session.close();
        Path processing = Files.createDirectories(properties.getDataDir().resolve("processing"));
        Path stored = processing.resolve(session.fileId() + "-" + session.name());
        Files.move(session.file(), stored, StandardCopyOption.ATOMIC_MOVE);
        ledger.sealFile(session.fileId(), properties.isDryRunEffective(), stored.toAbsolutePath().toString());
        LOG.info("Recorded {} lines of {} (file #{})", session.lines(), session.name(), session.fileId());
    }

    /** The file cannot be used: its partial lines are dropped and it goes whole to dead-letter with the reason. */
    public void refuse(Exchange exchange, @Header(Exchange.FILE_NAME_ONLY) String name,
                       @Header(SOURCE_HEADER) String source) throws IOException {
        Exception cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        String reason = reasonFor(cause);
        IngestSession session = exchange.getProperty("ingest", IngestSession.class);
        if (session != null) {
            session.close();
            ledger.refuseFile(session.fileId(), reason);
        }
        deadLetter.refuseFile(localFile(exchange), name, source, reason);
        exchange.getMessage().setHeader(REFUSED_HEADER, true);
    }

    /** The file on local disk: the drop folder's own, or the local copy of a file fetched by SFTP. */
    private static Path localFile(Exchange exchange) {
        String localCopy = exchange.getMessage().getHeader(Exchange.FILE_LOCAL_WORK_PATH, String.class);
        return Path.of(localCopy != null ? localCopy : exchange.getMessage().getHeader(Exchange.FILE_PATH, String.class));
    }

    public void close(@ExchangeProperty("ingest") IngestSession session) {
        if (session != null) {
            session.close();
        }
    }

    private static String reasonFor(Exception e) {
        Throwable known = e;
        while (known != null && !(known instanceof UnreadableHashFileException)) {
            known = known.getCause();
        }
        if (known != null) {
            return known.getMessage();
        }
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return "processing failed: " + root.getClass().getSimpleName() + ": " + root.getMessage();
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
