package org.autopilotbridge.testing;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.h2.store.fs.FilePath;

/**
 * A disk that fills up under an embedded ledger: opened as {@code jdbc:h2:fulldisk:/path/ledger}, H2 works on its file
 * as usual until {@link #fill} is called for its folder; from then on every write fails as a full file system's does,
 * until {@link #free}.
 */
public final class FullDisk extends DelegatingChannel.FileSystem {

    private static final FullDisk SCHEME = new FullDisk();
    private static final Set<Path> FULL = ConcurrentHashMap.newKeySet();

    static {
        FilePath.register(SCHEME);
    }

    /** Made by H2 for each path it opens. */
    public FullDisk() {
        super("fulldisk");
    }

    /** The H2 database location for an embedded ledger file, e.g. {@code folder/ledger}. */
    public static String location(Path databaseFile) {
        return SCHEME.getScheme() + ":" + databaseFile.toAbsolutePath();
    }

    /** Every write to a file in {@code folder} fails from now on. */
    public static void fill(Path folder) {
        FULL.add(folder.toAbsolutePath());
    }

    public static void free(Path folder) {
        FULL.remove(folder.toAbsolutePath());
    }

    /** The file's channel, whose writes fail while its folder is full. */
    @Override
    DelegatingChannel channel(FileChannel channel, Path file) {
        return new DelegatingChannel(channel) {
            @Override
            public int write(ByteBuffer src) throws IOException {
                checkRoom(file);
                return super.write(src);
            }

            @Override
            public int write(ByteBuffer src, long position) throws IOException {
                checkRoom(file);
                return super.write(src, position);
            }
        };
    }

    private static void checkRoom(Path file) throws IOException {
        if (FULL.contains(file.getParent())) {
            throw new IOException("No space left on device");
        }
    }
}
