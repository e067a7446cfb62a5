package org.autopilotbridge.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import org.autopilotbridge.finish.ReportFiles;
import org.autopilotbridge.testing.OtherFileSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Taking a file out of its folder before it is read, and putting it back, on one file system or across two. */
class FileTakingTest {

    @TempDir
    Path temp;

    private final FileTaking taking = new FileTaking(new ReportFiles());

    @Test
    void takesAFileWithinOneFileSystemByRenamingIt() throws IOException {
        Path inbox = Files.createDirectories(temp.resolve("inbox"));
        Path dropped = Files.writeString(inbox.resolve("a.csv"), "content");

        Path taken = taking.take(dropped, "a.csv", temp.resolve("reading"));

        assertThat(taken).hasContent("content").hasParent(temp.resolve("reading"));
        assertThat(taken.getFileName().toString()).endsWith("-a.csv");
        assertThat(inbox).isEmptyDirectory();
    }

    @Test
    void takesAFileAcrossFileSystemsLeavingNothingBehindOnEitherSide() throws IOException {
        Path inbox = OtherFileSystem.folderBeside(temp);
        Path dropped = Files.writeString(inbox.resolve("a.csv"), "content");

        Path taken = taking.take(dropped, "a.csv", temp.resolve("reading"));

        assertThat(taken).hasContent("content");
        assertThat(inbox).isEmptyDirectory();
        assertThat(names(temp.resolve("reading"))).containsExactly(taken.getFileName().toString());
    }

    @Test
    void putsAFileBackBesideOneThatArrivedUnderItsNameInsteadOfReplacingIt() throws IOException {
        Path inbox = Files.createDirectories(temp.resolve("inbox"));
        Path taken = taking.take(Files.writeString(inbox.resolve("a.csv"), "first"), "a.csv", temp.resolve("reading"));
        Files.writeString(inbox.resolve("a.csv"), "second");
        Files.writeString(inbox.resolve("a-2.csv"), "third");

        Path back = taking.putBack(taken, inbox.resolve("a.csv"));

        assertThat(back).isEqualTo(inbox.resolve("a-3.csv")).hasContent("first");
        assertThat(inbox.resolve("a.csv")).hasContent("second");
        assertThat(inbox.resolve("a-2.csv")).hasContent("third");
    }

    @Test
    void putsAFileBackAcrossFileSystemsWithoutReplacingEither() throws IOException {
        Path inbox = OtherFileSystem.folderBeside(temp);
        Path taken = taking.take(Files.writeString(inbox.resolve("a.csv"), "first"), "a.csv", temp.resolve("reading"));
        Files.writeString(inbox.resolve("a.csv"), "second");

        Path back = taking.putBack(taken, inbox.resolve("a.csv"));

        assertThat(back).isEqualTo(inbox.resolve("a-2.csv")).hasContent("first");
        assertThat(inbox.resolve("a.csv")).hasContent("second");
        assertThat(names(temp.resolve("reading"))).isEmpty();
    }

    private static java.util.List<String> names(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(f -> f.getFileName().toString()).toList();
        }
    }
}
