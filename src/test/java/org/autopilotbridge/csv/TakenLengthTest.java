package org.autopilotbridge.csv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A file cut short or written on while it is read stops reading at the record it was in, never taking it cut. */
class TakenLengthTest {

    private static final String HASH = "QUJD".repeat(1000);
    private static final int LINES = 500;

    @TempDir
    Path dir;

    @Test
    void aFileCutShortWhileReadStopsAtTheRecordItWasCutInAndHandsOnOnlyWholeRecordsBefore() throws IOException {
        Path file = hashFile();
        List<CsvRecord> read = new ArrayList<>();
        try (HashFileReader reader = HashFileReader.open(file)) {
            read.add(reader.next());
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
                channel.truncate(Files.size(file) / 2 + 7);
            }
            assertThatThrownBy(() -> {
                while (reader.hasNext()) {
                    read.add(reader.next());
                }
            }).isInstanceOf(UnreadableHashFileException.class).hasMessageContaining("cut short while it was read")
                    .satisfies(e -> assertThat(((UnreadableHashFileException) e).line()).isEqualTo(read.size() + 2));
        }
        assertThat(read).hasSizeBetween(LINES / 2 - 2, LINES / 2).allSatisfy(r -> assertThat(r.field(1)).isEqualTo(HASH));
    }

    @Test
    void aFileWrittenOnWhileReadStopsWhereItGrew() throws IOException {
        Path file = hashFile();
        try (HashFileReader reader = HashFileReader.open(file)) {
            Files.writeString(file, "SN-MORE," + HASH + "\r\n", StandardOpenOption.APPEND);
            assertThatThrownBy(() -> {
                while (reader.hasNext()) {
                    reader.next();
                }
            }).isInstanceOf(UnreadableHashFileException.class).hasMessageContaining("written to while it was read");
        }
    }

    private Path hashFile() throws IOException {
        StringBuilder text = new StringBuilder("Device Serial Number,Hardware Hash\r\n");
        for (int i = 1; i <= LINES; i++) {
            text.append("SN-").append(i).append(',').append(HASH).append("\r\n");
        }
        return Files.writeString(dir.resolve("devices.csv"), text, StandardCharsets.US_ASCII);
    }
}
