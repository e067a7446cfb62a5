package org.autopilotbridge.report;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.function.Predicate;

import org.autopilotbridge.ledger.HashFile;

/**
 * File placement for done and dead-letter: names that never overwrite an earlier file, and writes that appear
 * whole or not at all (write a hidden temporary file, then rename), so an admin never opens half a report.
 */
final class ReportFiles {

    @FunctionalInterface
    interface Content {
        void writeTo(OutputStream out) throws IOException;
    }

    private ReportFiles() {
    }

    /** Files from the drop folder go straight into done and dead-letter; a vendor's into a folder of its own. */
    static Path folderFor(Path base, String source) {
        return HashFile.DROP_FOLDER.equals(source) ? base : base.resolve(source);
    }

    /** {@code name} if it is free, else "stem-2.ext", "stem-3.ext"...: never a name an earlier file holds. */
    static String freeName(String name, Predicate<String> taken) {
        int dot = name.lastIndexOf('.');
        String stem = dot > 0 ? name.substring(0, dot) : name;
        String ext = dot > 0 ? name.substring(dot) : "";
        String candidate = name;
        for (int n = 2; taken.test(candidate); n++) {
            candidate = stem + "-" + n + ext;
        }
        return candidate;
    }

    static void writeAtomically(Path target, Content content) throws IOException {
        Path tmp = target.resolveSibling("." + target.getFileName() + ".tmp");
        try (OutputStream out = Files.newOutputStream(tmp)) {
            content.writeTo(out);
        }
        move(tmp, target);
    }

    static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            // Done or dead-letter on another file system: copy under a hidden name first, then rename.
            Path tmp = to.resolveSibling("." + to.getFileName() + ".tmp");
            Files.copy(from, tmp, StandardCopyOption.REPLACE_EXISTING);
            Files.move(tmp, to, StandardCopyOption.ATOMIC_MOVE);
            Files.delete(from);
        }
    }
}
