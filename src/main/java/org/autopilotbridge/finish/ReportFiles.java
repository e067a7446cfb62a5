package org.autopilotbridge.finish;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.function.Predicate;

import org.autopilotbridge.ledger.HashFile;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * File placement for done and dead-letter: names that never overwrite another file, writes that appear whole or not
 * at all (write a hidden temporary file, then rename), so an admin never opens half a report, and everything on the
 * device (fsync of the file, then of its folder) before it is taken as done or its source is deleted, so a host crash
 * leaves either the old state or the new one. The ingest stage takes files out of the inbox with the same placement.
 */
@Component
public class ReportFiles {

    @FunctionalInterface
    interface Content {
        void writeTo(OutputStream out) throws IOException;
    }

    /** Forces a file, or a folder's entries, to the device. */
    @FunctionalInterface
    interface Disk {
        void force(Path fileOrFolder) throws IOException;
    }

    /**
     * fsync. A folder is opened for reading, which Linux and macOS allow; Windows does not open folders, and NTFS
     * journals its folder entries by itself, so there only files are forced.
     */
    static final Disk DEVICE = path -> {
        boolean folder = Files.isDirectory(path);
        if (folder && File.separatorChar == '\\') {
            return;
        }
        try (FileChannel channel = FileChannel.open(path, folder ? StandardOpenOption.READ : StandardOpenOption.WRITE)) {
            channel.force(true);
        }
    };

    private final Disk disk;

    /** fsync of a file, or of a folder's entries: for whoever else places files where the service reads them. */
    public static void force(Path fileOrFolder) throws IOException {
        DEVICE.force(fileOrFolder);
    }

    @Autowired
    public ReportFiles() {
        this(DEVICE);
    }

    ReportFiles(Disk disk) {
        this.disk = disk;
    }

    /** Files from the drop folder go straight into done and dead-letter; a vendor's into a folder of its own. */
    static Path folderFor(Path base, String source) {
        return HashFile.DROP_FOLDER.equals(source) ? base : base.resolve(source);
    }

    /** {@code name} if it is free, else "stem-2.ext", "stem-3.ext"...: never a name an earlier file holds. */
    public static String freeName(String name, Predicate<String> taken) {
        int dot = name.lastIndexOf('.');
        String stem = dot > 0 ? name.substring(0, dot) : name;
        String ext = dot > 0 ? name.substring(dot) : "";
        String candidate = name;
        for (int n = 2; taken.test(candidate); n++) {
            candidate = stem + "-" + n + ext;
        }
        return candidate;
    }

    /**
     * Writes a report under a name reserved for it (see {@link ResultsWriter}): a report written before, by an
     * earlier attempt for the same file, is replaced.
     */
    void write(Path target, Content content) throws IOException {
        Path tmp = hidden(target);
        try (OutputStream out = Files.newOutputStream(tmp)) {
            content.writeTo(out);
        }
        disk.force(tmp);
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        disk.force(target.getParent());
    }

    /** One way of putting a file at a target that refuses, with FileAlreadyExistsException, a name already taken. */
    @FunctionalInterface
    public interface Placement {
        void placeAt(Path target) throws IOException;
    }

    /**
     * Places a file in {@code folder} as {@code name} or, when that is taken, under the next free name
     * ({@code name-2.csv}), looking again when a file takes the name between the look and the placement; returns where
     * it went. Never replaces a file.
     */
    public static Path placeUnderFreeName(Path folder, String name, Placement placement) throws IOException {
        while (true) {
            Path target = folder.resolve(freeName(name, n -> Files.exists(folder.resolve(n))));
            try {
                placement.placeAt(target);
                return target;
            } catch (FileAlreadyExistsException arrivedJustNow) {
                // Taken between the look and the placement: the next free name.
            }
        }
    }

    /**
     * Moves a file to {@code to} without ever replacing another file there (a hard link is refused when the name is
     * taken, where a rename on Linux would silently replace it), and deletes the source only once the new name is on
     * the device. Found already in place (a crash before the source was deleted), only the source is deleted.
     */
    public void place(Path from, Path to) throws IOException {
        try {
            Files.createLink(to, from);
        } catch (FileAlreadyExistsException e) {
            if (!Files.isSameFile(from, to) && Files.mismatch(from, to) != -1) {
                throw e;
            }
        } catch (IOException | UnsupportedOperationException e) {
            // No hard link possible (another file system, or one without links): a forced copy beside the target,
            // renamed without replacing.
            Path tmp = hidden(to);
            Files.copy(from, tmp, StandardCopyOption.REPLACE_EXISTING);
            disk.force(tmp);
            Files.move(tmp, to);
        }
        disk.force(to.getParent());
        Files.delete(from);
        disk.force(from.getParent());
    }

    private static Path hidden(Path target) {
        return target.resolveSibling("." + target.getFileName() + ".tmp");
    }
}
