package org.autopilotbridge.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.autopilotbridge.testing.FileTrees.names;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Writing an upload into the inbox: whole under its name or not there at all, never over another file, within the limit. */
class UploadWriterTest {

    @TempDir
    Path temp;

    @Test
    void putsTheUploadIntoTheInboxUnderItsNameWithItsContentHash() throws Exception {
        Path inbox = temp.resolve("inbox");
        byte[] content = "Device Serial Number,Hardware Hash\r\nA,T0FB\r\n".getBytes(StandardCharsets.UTF_8);

        UploadWriter.Written written = new UploadWriter(inbox, 1024).write("fleet.csv", new ByteArrayInputStream(content));

        assertThat(written.inboxName()).isEqualTo("fleet.csv");
        assertThat(written.size()).isEqualTo(content.length);
        assertThat(written.sha256()).isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content)));
        assertThat(names(inbox)).containsExactly("fleet.csv");
        assertThat(inbox.resolve("fleet.csv")).hasBinaryContent(content);
    }

    @Test
    void takesTheNextFreeNameBesideAFileOfThatNameAndNeverReplacesIt() throws Exception {
        Path inbox = Files.createDirectories(temp.resolve("inbox"));
        Files.writeString(inbox.resolve("fleet.csv"), "dropped before");
        Files.writeString(inbox.resolve("fleet-2.csv"), "dropped before too");

        UploadWriter.Written written = new UploadWriter(inbox, 1024).write("fleet.csv", stream("uploaded"));

        assertThat(written.inboxName()).isEqualTo("fleet-3.csv");
        assertThat(inbox.resolve("fleet.csv")).hasContent("dropped before");
        assertThat(inbox.resolve("fleet-2.csv")).hasContent("dropped before too");
        assertThat(inbox.resolve("fleet-3.csv")).hasContent("uploaded");
    }

    @Test
    void showsNothingUnderAReadableNameUntilTheWholeFileIsWritten() throws Exception {
        Path inbox = temp.resolve("inbox");
        List<List<String>> seenWhileWriting = new ArrayList<>();
        InputStream slowUpload = new InputStream() {
            private int left = 3;

            @Override
            public int read() {
                throw new UnsupportedOperationException("read in blocks");
            }

            @Override
            public int read(byte[] buffer, int offset, int length) {
                seenWhileWriting.add(names(inbox));
                if (left-- == 0) {
                    return -1;
                }
                buffer[offset] = 'x';
                return 1;
            }
        };

        new UploadWriter(inbox, 1024).write("fleet.csv", slowUpload);

        assertThat(seenWhileWriting).hasSize(4).allSatisfy(names -> assertThat(names)
                .allSatisfy(name -> assertThat(name).startsWith(".").endsWith(".part")));
        assertThat(names(inbox)).containsExactly("fleet.csv");
        assertThat(inbox.resolve("fleet.csv")).hasContent("xxx");
    }

    @Test
    void forcesTheContentToDiskBeforeItHasItsNameAndTheNameBeforeItAnswers() throws Exception {
        Path inbox = temp.resolve("inbox");
        List<String> forced = new ArrayList<>();
        UploadWriter writer = new UploadWriter(inbox, 1024, path -> forced.add((path.equals(inbox) ? "inbox" : "content")
                + (Files.exists(inbox.resolve("fleet.csv")) ? " once named" : " before named")));

        writer.write("fleet.csv", stream("content"));

        assertThat(forced).containsExactly("content before named", "inbox once named");
    }

    @Test
    void refusesAnUploadOverTheLimitAndLeavesNothingInTheInbox() throws Exception {
        Path inbox = temp.resolve("inbox");
        UploadWriter writer = new UploadWriter(inbox, 10);

        assertThatThrownBy(() -> writer.write("big.csv", stream("12345678901"))).isInstanceOf(UploadTooLargeException.class)
                .hasMessageContaining("autopilot.web.max-upload");
        assertThat(names(inbox)).isEmpty();
        assertThat(writer.write("limit.csv", stream("1234567890")).size()).as("exactly the limit").isEqualTo(10);
    }

    @Test
    void refusesNamesTheInboxWouldNeverReadOrThatLeadOutOfIt() {
        UploadWriter writer = new UploadWriter(temp.resolve("inbox"), 1024);
        for (String name : List.of(".fleet.csv", "fleet.csv.part", "fleet.TMP", "../state/fleet.csv", "a\\b.csv", "x".repeat(201) + ".csv", "")) {
            assertThatThrownBy(() -> writer.write(name, stream("content"))).as(name).isInstanceOf(IllegalArgumentException.class);
        }
        assertThat(names(temp.resolve("inbox"))).isEmpty();
        assertThat(UploadWriter.refusal("fleet 2026.csv")).isNull();
    }

    @Test
    void removesOnlyPartialUploadsOlderThanAnyUploadTakes() throws Exception {
        Path inbox = Files.createDirectories(temp.resolve("inbox"));
        Path old = Files.writeString(inbox.resolve(UploadWriter.TEMP_PREFIX + "1" + UploadWriter.TEMP_SUFFIX), "cut off");
        Files.setLastModifiedTime(old, FileTime.from(Instant.now().minus(UploadWriter.LEFTOVER_AGE).minus(Duration.ofMinutes(1))));
        Files.writeString(inbox.resolve(UploadWriter.TEMP_PREFIX + "2" + UploadWriter.TEMP_SUFFIX), "being written");
        Path dropped = Files.writeString(inbox.resolve("old.csv"), "a drop");
        Files.setLastModifiedTime(dropped, FileTime.from(Instant.now().minus(Duration.ofDays(3))));

        new UploadWriter(inbox, 1024).removeLeftovers();

        assertThat(names(inbox)).containsExactlyInAnyOrder(UploadWriter.TEMP_PREFIX + "2" + UploadWriter.TEMP_SUFFIX, "old.csv");
    }

    private static InputStream stream(String content) {
        return new ByteArrayInputStream(content.getBytes(StandardCharsets.UTF_8));
    }

}
