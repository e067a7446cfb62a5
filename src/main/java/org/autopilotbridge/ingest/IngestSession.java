package org.autopilotbridge.ingest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;

import org.autopilotbridge.csv.DeviceRow;
import org.autopilotbridge.csv.HashFileReader;

/** One file being read into the ledger: from {@code open} to {@code seal} on the inbox route. */
public final class IngestSession implements AutoCloseable {

    private static final Duration PROGRESS_EVERY = Duration.ofSeconds(30);

    private final Path file;
    private final Path storedPath;
    private final String name;
    private final HashFileReader reader;
    private final long fileId;
    private final String defaultGroupTag;
    private final boolean repeat;
    private long lines;
    private Instant lastProgress = Instant.now();

    IngestSession(Path file, Path storedPath, String name, HashFileReader reader, long fileId, String defaultGroupTag,
                  boolean repeat) {
        this.file = file;
        this.storedPath = storedPath;
        this.name = name;
        this.reader = reader;
        this.fileId = fileId;
        this.defaultGroupTag = defaultGroupTag;
        this.repeat = repeat;
    }

    /** The data lines in chunks, for the route's streaming split; none for a file already processed before. */
    public Iterator<List<DeviceRow>> rowChunks() {
        return repeat ? Collections.emptyIterator() : reader.deviceRowChunks(HashFileIngest.CHUNK_SIZE);
    }

    Path file() { return file; }
    /** Where the file waits in processing once its lines are recorded. */
    Path storedPath() { return storedPath; }
    String name() { return name; }
    long fileId() { return fileId; }
    String defaultGroupTag() { return defaultGroupTag; }
    long lines() { return lines; }
    /** Counts recorded lines; true when a progress line is due (every 30 s on long files). */
    boolean counted(int n) {
        lines += n;
        if (Duration.between(lastProgress, Instant.now()).compareTo(PROGRESS_EVERY) < 0) {
            return false;
        }
        lastProgress = Instant.now();
        return true;
    }

    @Override
    public void close() {
        try {
            reader.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
