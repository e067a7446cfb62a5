package org.autopilotbridge.ingest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

import org.autopilotbridge.csv.DeviceRow;
import org.autopilotbridge.csv.HashFileReader;
import org.autopilotbridge.csv.UnreadableHashFileException;

/** One file being read into the ledger: from {@code open} to {@code seal} on the inbox route. */
final class IngestSession implements AutoCloseable {

    private static final Duration PROGRESS_EVERY = Duration.ofSeconds(30);

    private final Path file;
    private final Path storedPath;
    private final String name;
    private final HashFileReader reader;
    private final long fileId;
    private final String defaultGroupTag;
    private final boolean repeat;
    private final long resumeAfter;
    private UnreadableHashFileException unreadable;
    private long lines;
    private Instant lastProgress = Instant.now();

    IngestSession(Path file, Path storedPath, String name, HashFileReader reader, long fileId, String defaultGroupTag,
                  boolean repeat, long resumeAfter) {
        this.file = file;
        this.storedPath = storedPath;
        this.name = name;
        this.reader = reader;
        this.fileId = fileId;
        this.defaultGroupTag = defaultGroupTag;
        this.repeat = repeat;
        this.resumeAfter = resumeAfter;
    }

    /**
     * The data lines in chunks, for the route's streaming split: none for a file already processed before, and only
     * those after {@code resumeAfter} for a file whose reading was interrupted after that line. When the file turns
     * out to be unreadable part-way, the chunks end there and the failure waits in {@link #unreadable()}, so that what
     * was read before is recorded first.
     */
    public Iterator<List<DeviceRow>> rowChunks() {
        if (repeat) {
            return Collections.emptyIterator();
        }
        Iterator<List<DeviceRow>> chunks = reader.deviceRowChunks(HashFileIngest.CHUNK_SIZE);
        return new Iterator<>() {
            private List<DeviceRow> ahead;

            @Override
            public boolean hasNext() {
                try {
                    while (ahead == null && unreadable == null && chunks.hasNext()) {
                        List<DeviceRow> unread = chunks.next().stream().filter(row -> row.line() > resumeAfter).toList();
                        ahead = unread.isEmpty() ? null : unread;
                    }
                } catch (UnreadableHashFileException e) {
                    unreadable = e;
                }
                return ahead != null;
            }

            @Override
            public List<DeviceRow> next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                List<DeviceRow> chunk = ahead;
                ahead = null;
                return chunk;
            }
        };
    }

    /** Where reading stopped because the rest of the file cannot be read; null when it was read to its end. */
    UnreadableHashFileException unreadable() {
        return unreadable;
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
