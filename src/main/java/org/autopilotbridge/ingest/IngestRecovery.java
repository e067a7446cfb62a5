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
import org.autopilotbridge.ledger.FileLedger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * After a stop in the middle of reading a file (a crash, a kill), its partial lines are dropped and the file
 * is put back where it came from, to be read again from the start before any route runs. Everything later
 * (sending, tracking, reporting) resumes from the ledger by itself.
 */
@Component
public class IngestRecovery {

    private static final Logger LOG = LoggerFactory.getLogger(IngestRecovery.class);

    private final AutopilotProperties properties;
    private final FileLedger files;

    public IngestRecovery(AutopilotProperties properties, FileLedger files) {
        this.properties = properties;
        this.files = files;
    }

    @PostConstruct
    void resumeInterruptedReads() {
        for (HashFile file : files.filesInStatus(HashFile.RECEIVING)) {
            Path stored = file.storedPath() == null ? null : Path.of(file.storedPath());
            try {
                if (stored != null && Files.exists(stored)) {
                    if (HashFile.DROP_FOLDER.equals(file.source())) {
                        Files.createDirectories(properties.getInbox());
                        Files.move(stored, properties.getInbox().resolve(file.name()), StandardCopyOption.ATOMIC_MOVE);
                    } else {
                        // A vendor's file is still on its server (it moves there only once the route is done).
                        Files.delete(stored);
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot put " + stored + " back to be read again", e);
            }
            files.discardFile(file.id());
            LOG.info("{} (file #{}) was being read when the service stopped: it is read again from the start",
                    file.name(), file.id());
        }
        returnUnclaimedFiles();
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
                    Files.move(file, properties.getInbox().resolve(name), StandardCopyOption.ATOMIC_MOVE);
                    LOG.warn("{} was in processing without a record in the ledger: it is read again", name);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot check " + processing, e);
        }
    }
}
