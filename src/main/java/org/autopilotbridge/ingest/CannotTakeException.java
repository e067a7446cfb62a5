package org.autopilotbridge.ingest;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Path;

/**
 * A file could not be taken out of its folder into processing (a full disk, a permission): a passing problem of this
 * machine, never a reason to refuse the file, which stays where it was found.
 */
class CannotTakeException extends IOException {

    private final String reason;

    CannotTakeException(Path file, IOException cause) {
        this(file, reason(cause), cause);
    }

    private CannotTakeException(Path file, String reason, IOException cause) {
        super("cannot take " + file.getFileName() + " into processing: " + reason, cause);
        this.reason = reason;
    }

    /**
     * Why, the same at every try and for every file: the incident is logged again only when its reason changes, and
     * a file system's message names the file, moved aside in the inbox under a new name at each try. Where the file
     * system gives no reason (a permission), the folder it refused in.
     */
    String reason() {
        return reason;
    }

    private static String reason(IOException e) {
        if (e instanceof FileSystemException fs) {
            if (fs.getReason() != null) {
                return fs.getReason();
            }
            Path refused = fs.getFile() == null ? null : Path.of(fs.getFile()).getParent();
            return fs.getClass().getSimpleName() + (refused == null ? "" : " in " + refused);
        }
        return e.toString();
    }
}
