package org.autopilotbridge.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A folder made immutable ({@code chattr +i}), which not even root can write: CI runs as root, whom permission bits do
 * not stop. Closing it makes the folder writable again, so that its temporary directory can be removed.
 */
public final class ImmutableFolder implements AutoCloseable {

    private final Path folder;

    private ImmutableFolder(Path folder) {
        this.folder = folder;
    }

    /**
     * Makes {@code folder} immutable. Fails, saying why, where that cannot be done (no chattr, a file system without
     * the attribute, a user without CAP_LINUX_IMMUTABLE): .ci/run runs the tests as root, where it can.
     */
    public static ImmutableFolder of(Path folder) {
        assertThat(chattr("+i", folder)).as("chattr +i %s: this test needs chattr, and root or CAP_LINUX_IMMUTABLE, on a file "
                + "system with the immutable attribute, as .ci/run has", folder).isTrue();
        ImmutableFolder immutable = new ImmutableFolder(folder);
        assertThatThrownBy(() -> Files.delete(Files.createTempFile(folder, "still-writable", ".tmp")))
                .as("an immutable folder cannot be written").isInstanceOf(IOException.class);
        return immutable;
    }

    @Override
    public void close() {
        chattr("-i", folder);
    }

    private static boolean chattr(String change, Path file) {
        try {
            Process chattr = new ProcessBuilder("chattr", change, file.toString()).redirectErrorStream(true).start();
            chattr.getInputStream().transferTo(OutputStream.nullOutputStream());
            return chattr.waitFor() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
