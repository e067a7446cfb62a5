package org.autopilotbridge.ingest;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A file could not be taken out of its folder into processing (a full disk, a permission): a passing problem of this
 * machine, never a reason to refuse the file, which stays where it was found.
 */
class CannotTakeException extends IOException {

    CannotTakeException(Path file, IOException cause) {
        super("cannot take " + file.getFileName() + " into processing: " + cause, cause);
    }
}
