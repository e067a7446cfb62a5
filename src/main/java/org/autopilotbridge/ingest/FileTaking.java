package org.autopilotbridge.ingest;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.UUID;

/**
 * Takes a file out of the folder it was found in before a byte of it is read, so that the file read is the file that
 * moves on: one dropped again under the same name meanwhile is a new file, found on the next poll. Puts a file back
 * where it was found when its reading is to be tried again, never over a file that arrived since.
 */
final class FileTaking {

    /** A file being taken across file systems waits in its own folder under this prefix (Camel skips dot files). */
    static final String TAKING_PREFIX = ".autopilot-taking-";

    private FileTaking() {
    }

    /**
     * Moves {@code source} into {@code readingDir} under a name of its own and returns where it is now. Within one file
     * system that is one rename. Across two (a share, another drive) the file is first renamed beside itself, so a
     * file dropped under its name meanwhile stays untouched, then copied, forced to disk, renamed into place, and only
     * then deleted from where it was found.
     */
    static Path take(Path source, String name, Path readingDir) throws IOException {
        Files.createDirectories(readingDir);
        Path taken = readingDir.resolve(UUID.randomUUID() + "-" + name);
        try {
            Files.move(source, taken, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException acrossFileSystems) {
            Path aside = source.resolveSibling(TAKING_PREFIX + UUID.randomUUID() + "-" + name);
            Files.move(source, aside, StandardCopyOption.ATOMIC_MOVE);
            Files.setLastModifiedTime(aside, FileTime.from(Instant.now()));
            copyDurably(aside, taken);
            Files.delete(aside);
        }
        // When it was taken, not dropped: a restart tells a file whose reader stopped from one being recorded now.
        Files.setLastModifiedTime(taken, FileTime.from(Instant.now()));
        return taken;
    }

    /**
     * Puts a taken file back as {@code original}, or, when a file arrived under that name since, beside it under a
     * free name ({@code name-2.csv}); returns where it went. Never replaces a file.
     */
    static Path putBack(Path taken, Path original) throws IOException {
        Path target = original;
        for (int n = 2; ; n++) {
            try {
                moveWithoutReplacing(taken, target);
                return target;
            } catch (FileAlreadyExistsException occupied) {
                target = original.resolveSibling(numbered(original.getFileName().toString(), n));
            }
        }
    }

    /** Renames within a file system, or copies durably and deletes across two; fails if {@code target} exists. */
    static void moveWithoutReplacing(Path from, Path target) throws IOException {
        if (Files.getFileStore(from).equals(Files.getFileStore(target.getParent()))) {
            // Without REPLACE_EXISTING, a move refuses an existing target (checked just before the rename).
            Files.move(from, target);
            return;
        }
        if (Files.exists(target)) {
            throw new FileAlreadyExistsException(target.toString());
        }
        copyDurably(from, target);
        Files.delete(from);
    }

    /** {@code stem-n.ext} for {@code stem.ext}. */
    static String numbered(String name, int n) {
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) + "-" + n + name.substring(dot) : name + "-" + n;
    }

    /** Copies under a hidden name, forces the copy and its folder to disk, then renames it into place. */
    private static void copyDurably(Path from, Path target) throws IOException {
        Path partial = target.resolveSibling("." + target.getFileName() + ".part");
        Files.copy(from, partial, StandardCopyOption.REPLACE_EXISTING);
        try (FileChannel copy = FileChannel.open(partial, StandardOpenOption.WRITE)) {
            copy.force(true);
        }
        Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
        try (FileChannel folder = FileChannel.open(target.getParent(), StandardOpenOption.READ)) {
            folder.force(true);
        }
    }
}
