package org.autopilotbridge.csv;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Reads a hash file in a JVM of its own, started with a small heap by {@link HashFileReaderIT}: prints the lines
 * read, then the reason reading stopped. A heap that runs out ends the JVM (-XX:+ExitOnOutOfMemoryError) instead.
 */
public final class ReadInSmallHeap {

    private ReadInSmallHeap() {
    }

    public static void main(String[] args) throws Exception {
        List<Long> lines = new ArrayList<>();
        try (HashFileReader reader = HashFileReader.open(Path.of(args[0]))) {
            for (Iterator<List<DeviceRow>> chunks = reader.deviceRowChunks(1000); chunks.hasNext(); ) {
                chunks.next().forEach(row -> lines.add(row.line()));
            }
            System.out.println("lines " + lines);
        } catch (UnreadableHashFileException e) {
            System.out.println("lines " + lines);
            System.out.println("unreadable from line " + e.line() + ": " + e.getMessage());
        }
    }
}
