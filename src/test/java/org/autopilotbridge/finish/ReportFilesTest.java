package org.autopilotbridge.finish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reports and originals on real files. What is forced to the device is seen through {@link ReportFiles.Disk}: each
 * fsync is recorded with what the folders held at that moment, so the order of fsync, rename and delete shows. (That
 * the fsync reaches the device is the operating system's part, which no test here can watch.)
 */
class ReportFilesTest {

    @TempDir
    Path dir;

    private final List<String> forced = new ArrayList<>();

    /** Records each fsync, with whether {@code watched} existed at that moment, then forces it for real. */
    private ReportFiles watching(Path... watched) {
        return new ReportFiles(path -> {
            StringBuilder seen = new StringBuilder(dir.relativize(path).toString());
            for (Path w : watched) {
                seen.append(Files.exists(w) ? " +" : " -").append(w.getFileName());
            }
            forced.add(seen.toString());
            ReportFiles.DEVICE.force(path);
        });
    }

    @Test
    void aReportIsOnTheDeviceBeforeItsNameAppearsAndItsNameBeforeItIsTakenAsDone() throws IOException {
        Path done = Files.createDirectories(dir.resolve("done"));
        Path results = done.resolve("a.csv.results.csv");

        watching(results).write(results, out -> out.write("Line\r\n".getBytes(StandardCharsets.UTF_8)));

        assertThat(forced).containsExactly("done/.a.csv.results.csv.tmp -a.csv.results.csv", "done +a.csv.results.csv");
        assertThat(results).hasContent("Line");
    }

    @Test
    void anOriginalIsOnTheDeviceInDoneBeforeItLeavesProcessing() throws IOException {
        Path original = Files.writeString(Files.createDirectories(dir.resolve("processing")).resolve("a.csv"), "mine");
        Path placed = Files.createDirectories(dir.resolve("done")).resolve("a.csv");

        watching(original, placed).place(original, placed);

        assertThat(forced).containsExactly("done +a.csv +a.csv", "processing -a.csv +a.csv");
        assertThat(placed).hasContent("mine");
    }

    @Test
    void neverReplacesAnotherFileOfTheName() throws IOException {
        Path original = Files.writeString(Files.createDirectories(dir.resolve("processing")).resolve("a.csv"), "mine");
        Path other = Files.writeString(Files.createDirectories(dir.resolve("done")).resolve("a.csv"), "another file's");

        assertThatThrownBy(() -> watching().place(original, other)).isInstanceOf(FileAlreadyExistsException.class);

        assertThat(other).hasContent("another file's");
        assertThat(original).hasContent("mine");
    }

    @Test
    void findsItsOwnOriginalInPlaceAfterACrash() throws IOException {
        Path original = Files.writeString(Files.createDirectories(dir.resolve("processing")).resolve("a.csv"), "mine");
        Path placed = Files.createDirectories(dir.resolve("done")).resolve("a.csv");
        // Linked into done, and the crash came before the source was deleted.
        Files.createLink(placed, original);

        watching().place(original, placed);

        assertThat(original).doesNotExist();
        assertThat(placed).hasContent("mine");
    }
}
