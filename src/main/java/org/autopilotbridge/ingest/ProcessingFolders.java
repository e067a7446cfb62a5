package org.autopilotbridge.ingest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

import org.autopilotbridge.config.FolderProperties;
import org.autopilotbridge.ledger.HashFile;
import org.autopilotbridge.ops.SafeNames;
import org.autopilotbridge.tenant.Tenant;

/**
 * Where a file waits under the data folder from the moment it is taken until it is finished: the reading folders
 * it is taken to, and processing, where it waits once read. Reading, refusal and recovery after a restart must agree
 * on these places, so they are named here once.
 */
final class ProcessingFolders {

    private ProcessingFolders() {
    }

    /** Where files wait, once their lines are recorded, while their devices are sent and followed. */
    static Path processingDir(FolderProperties properties) {
        return properties.getDataDir().resolve("processing").toAbsolutePath();
    }

    /**
     * Where files are taken to be read, one folder per kind of source, and a dropped file's tenant's own within it:
     * a restart returns each to its own inbox. The one tenant of a single-tenant service keeps the folder itself.
     */
    static Path readingDir(FolderProperties properties, String source, String tenant) {
        Path reading = processingDir(properties).resolve("reading");
        if (!HashFile.DROP_FOLDER.equals(source)) {
            return reading.resolve("vendor");
        }
        Path dropped = reading.resolve(HashFile.DROP_FOLDER);
        return Tenant.SINGLE.equals(tenant) ? dropped : dropped.resolve(tenant);
    }

    /** Where a file waits once read: its id keeps it apart from every other file of the same name. */
    static Path storedPath(FolderProperties properties, long fileId, String name) throws IOException {
        return SafeNames.resolveInside(processingDir(properties), fileId + "-" + name);
    }

    /** Moves the original into processing, where it waits while its devices are followed. */
    static Path store(IngestSession session) throws IOException {
        Path stored = session.storedPath();
        Files.createDirectories(stored.getParent());
        Files.move(session.file(), stored, StandardCopyOption.ATOMIC_MOVE);
        return stored;
    }
}
