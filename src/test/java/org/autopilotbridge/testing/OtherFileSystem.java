package org.autopilotbridge.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A folder on another file system than the temporary folders the tests use: Linux's shared-memory tmpfs, as an SMB
 * share or a second drive would be for an admin. A machine without it fails the test that needs it, never skips it.
 */
public final class OtherFileSystem {

    private static final Path SHARED_MEMORY = Path.of("/dev/shm");

    private OtherFileSystem() {
    }

    /** A new folder on another file system than {@code other}. */
    public static Path folderBeside(Path other) {
        try {
            Path folder = Files.createTempDirectory(SHARED_MEMORY, "autopilot-bridge-test");
            if (Files.getFileStore(folder).equals(Files.getFileStore(other))) {
                throw new IllegalStateException(SHARED_MEMORY + " is on the same file system as " + other
                        + ": this test needs two file systems");
            }
            return folder;
        } catch (IOException e) {
            throw new UncheckedIOException("this test needs " + SHARED_MEMORY + " (tmpfs) as a second file system", e);
        }
    }
}
