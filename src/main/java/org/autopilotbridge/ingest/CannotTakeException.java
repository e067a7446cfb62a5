package org.autopilotbridge.ingest;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Path;

/**
 * A file could not be taken out of its folder into processing (a full disk, a permission): a passing problem of this
 * machine, never a reason to refuse the file, which stays where it was found.
 */
class CannotTakeException extends IOException {

    CannotTakeException(Path file, IOException cause) {
        super("cannot take " + file.getFileName() + " into processing: " + reason(cause), cause);
    }

    /**
     * Why, the same at every try: the incident is logged again only when its reason changes, and a file system's
     * message names the file under the name of that one try (moved aside in the inbox under a new name each time).
     */
    private static String reason(IOException e) {
        if (e instanceof FileSystemException fs) {
            return fs.getReason() != null ? fs.getReason() : fs.getClass().getSimpleName();
        }
        return e.toString();
    }
}
