package org.autopilotbridge.ingest;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

import org.autopilotbridge.finish.ReportFiles;
import org.springframework.stereotype.Component;

/**
 * Takes a file out of the folder it was found in before a byte of it is read, so that the file read is the file that
 * moves on: one dropped again under the same name meanwhile is a new file, found on the next poll. Puts a file back
 * where it was found when its reading is to be tried again, never over a file that arrived since. Across file
 * systems both go through {@link ReportFiles#place}: forced to disk before the source is deleted.
 */
@Component
class FileTaking {

    /** A file being taken across file systems waits in its own folder under this prefix (Camel skips dot files). */
    static final String TAKING_PREFIX = ".autopilot-taking-";
    /** A taken file's name starts with a UUID and a hyphen: {@code <UUID>-<name>}. */
    private static final int UUID_PREFIX = 37;

    private final ReportFiles placement;

    FileTaking(ReportFiles placement) {
        this.placement = placement;
    }

    /** The dropped file's own name behind the name a take gave it in the reading folder; empty for any other file. */
    static Optional<String> droppedName(Path taken) {
        String name = taken.getFileName().toString();
        return name.length() > UUID_PREFIX ? Optional.of(name.substring(UUID_PREFIX)) : Optional.empty();
    }

    /** The same for a file a take moved aside in the inbox, on its way to another file system. */
    static Optional<String> droppedNameAside(Path file) {
        String name = file.getFileName().toString();
        return name.startsWith(TAKING_PREFIX) ? droppedName(Path.of(name.substring(TAKING_PREFIX.length()))) : Optional.empty();
    }

    /**
     * Moves {@code source} into {@code readingDir} under a name of its own and returns where it is now. Within one file
     * system that is one rename. Across two (a share, another drive) the file is first renamed beside itself, so a
     * file dropped under its name meanwhile stays untouched, then placed durably and only then deleted there.
     */
    Path take(Path source, String name, Path readingDir) throws IOException {
        Files.createDirectories(readingDir);
        Path taken = readingDir.resolve(UUID.randomUUID() + "-" + name);
        try {
            Files.move(source, taken, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException acrossFileSystems) {
            Path aside = source.resolveSibling(TAKING_PREFIX + UUID.randomUUID() + "-" + name);
            Files.move(source, aside, StandardCopyOption.ATOMIC_MOVE);
            Files.setLastModifiedTime(aside, FileTime.from(Instant.now()));
            try {
                placement.place(aside, taken);
            } catch (IOException e) {
                // Not taken after all (the data folder is full?): the file goes back under its name, to be tried again.
                putBack(aside, source);
                throw e;
            }
        }
        // When it was taken, not dropped: a restart tells a file whose reader stopped from one being recorded now.
        Files.setLastModifiedTime(taken, FileTime.from(Instant.now()));
        return taken;
    }

    /**
     * Puts a taken file back as {@code original}, or, when a file arrived under that name since, beside it under a
     * free name ({@code name-2.csv}); returns where it went. Never replaces a file.
     */
    Path putBack(Path taken, Path original) throws IOException {
        return ReportFiles.placeUnderFreeName(original.getParent(), original.getFileName().toString(),
                target -> placement.place(taken, target));
    }
}
