package org.autopilotbridge.testing;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

import org.h2.store.fs.FilePath;

/**
 * H2's files as a host crash leaves them: an embedded ledger opened as {@code jdbc:h2:powercut:/path/ledger} works on
 * its file as usual, and each time H2 forces the file to the device (fsync) the file as it then is, is copied to
 * {@code <file>.synced}. What was written without being forced may still sit in the operating system's cache, which a
 * host crash or power cut loses: {@code .synced} is what the ledger finds on disk afterwards.
 */
public final class PowerCut extends DelegatingChannel.FileSystem {

    private static final PowerCut SCHEME = new PowerCut();

    static {
        FilePath.register(SCHEME);
    }

    /** Made by H2 for each path it opens. */
    public PowerCut() {
        super("powercut");
    }

    /** The H2 database location for an embedded ledger file, e.g. {@code folder/ledger}. */
    public static String location(Path databaseFile) {
        return SCHEME.getScheme() + ":" + databaseFile.toAbsolutePath();
    }

    /** What a host crash now would leave of the H2 database file {@code mvDb}: its content at its last fsync. */
    public static Path synced(Path mvDb) {
        return mvDb.resolveSibling(mvDb.getFileName() + ".synced");
    }

    /** The file's channel, which copies the file aside whenever it is forced to the device. */
    @Override
    DelegatingChannel channel(FileChannel channel, Path file) {
        return new DelegatingChannel(channel) {
            @Override
            public void force(boolean metaData) throws IOException {
                super.force(metaData);
                Files.copy(file, synced(file), StandardCopyOption.REPLACE_EXISTING);
            }
        };
    }
}
