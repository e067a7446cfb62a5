package org.autopilotbridge.finish;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

import org.autopilotbridge.ledger.ReportNames;
import org.autopilotbridge.ops.SafeNames;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/** Files that cannot be used at all go to dead-letter whole, with {@code <name>.error.txt} saying why. */
@Component
public class DeadLetter {

    static final String ERROR_SUFFIX = ".error.txt";
    private static final Logger LOG = LoggerFactory.getLogger(DeadLetter.class);

    private final ReportNames names;
    private final ReportFiles reports;

    DeadLetter(ReportNames names, ReportFiles reports) {
        this.names = names;
        this.reports = reports;
    }

    /**
     * Moves the file to dead-letter beside its reason and {@code advice} (into {@code deadLetter}, the file's tenant's);
     * returns where it is now. Its name is held in the ledger while it is placed, as finished files' names are (see
     * {@link ResultsWriter}), so that neither takes the other's.
     */
    public Path refuseFile(Path file, String name, String source, String reason, String advice, Path deadLetter)
            throws IOException {
        Path dir = Files.createDirectories(ReportFiles.folderFor(deadLetter, source));
        String target = ReportFiles.freeName(name, n -> Files.exists(dir.resolve(n)) || Files.exists(dir.resolve(n + ERROR_SUFFIX))
                || !names.reserve(null, source, n));
        Path original = SafeNames.resolveInside(dir, target);
        try {
            writeReason(reports, SafeNames.resolveInside(dir, target + ERROR_SUFFIX), name, source, reason, advice);
            reports.place(file, original);
        } finally {
            names.release(source, target);
        }
        LOG.warn("Refused {} from {}: {} (moved to dead-letter as {})", name, source, reason, target);
        return original;
    }

    /** {@code <name>.error.txt}: which file, from where, when, why, and what to do about it. */
    static void writeReason(ReportFiles reports, Path target, String name, String source, String reason, String advice)
            throws IOException {
        String text = "File: " + name + System.lineSeparator()
                + "From: " + source + System.lineSeparator()
                + "Refused: " + Instant.now() + System.lineSeparator()
                + "Reason: " + reason + System.lineSeparator()
                + advice + System.lineSeparator();
        reports.write(target, out -> out.write(text.getBytes(StandardCharsets.UTF_8)));
    }
}
