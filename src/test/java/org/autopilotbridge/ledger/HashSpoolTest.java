package org.autopilotbridge.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.autopilotbridge.config.DeviceLimits;
import org.autopilotbridge.ledger.HashSpool.HashSpan;
import org.autopilotbridge.testing.H2Ledger;
import org.autopilotbridge.testing.ServiceFolders;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A file's hashes written beside the ledger, read back where its rows say, and gone only with the rows. */
class HashSpoolTest {

    @TempDir
    Path dir;

    @Test
    void readsEveryHashBackWhereItsSpanSaysAcrossAppendsOfSeveralChunks() {
        HashSpool hashes = ServiceFolders.hashSpool(dir);
        HashSpan[] first = hashes.append(7, new String[] {"QUJD", null, "REVGRw=="});
        // A reading resumed after a restart appends to what the interrupted one wrote.
        HashSpan[] then = hashes.append(7, new String[] {"SElK"});

        assertThat(first[1]).as("a line without a hash").isNull();
        assertThat(then[0].at()).isEqualTo(first[2].at() + first[2].length());
        try (HashSpool.Reader spool = hashes.reader(7)) {
            assertThat(spool.read(then[0])).asString(StandardCharsets.US_ASCII).isEqualTo("SElK");
            assertThat(spool.read(first[0])).asString(StandardCharsets.US_ASCII).isEqualTo("QUJD");
            assertThat(spool.read(first[2])).asString(StandardCharsets.US_ASCII).isEqualTo("REVGRw==");
            assertThat(spool.read(null)).isNull();
        }
    }

    @Test
    void keepsEveryHashOfAChunkLargerThanItsWriteBuffer() {
        HashSpool hashes = ServiceFolders.hashSpool(dir);
        String[] chunk = new String[250];
        for (int i = 0; i < chunk.length; i++) {
            // Lengths from 4 to the longest allowed, so that the buffer is written out with room left in it too.
            int length = 4 + (i * 7_919) % (DeviceLimits.HASH_TEXT_MAX - 3);
            chunk[i] = (char) ('A' + i % 26) + "x".repeat(length - 1);
        }

        HashSpan[] spans = hashes.append(9, chunk);

        try (HashSpool.Reader spool = hashes.reader(9)) {
            for (int i = 0; i < chunk.length; i++) {
                assertThat(spool.read(spans[i])).asString(StandardCharsets.US_ASCII).as("hash %d", i).isEqualTo(chunk[i]);
            }
        }
    }

    @Test
    void namesTheFileWhoseSpoolIsMissingOrShorterThanItsRowsSay() throws Exception {
        HashSpool hashes = ServiceFolders.hashSpool(dir);
        HashSpan span = hashes.append(8, new String[] {"QUJD"})[0];
        Files.write(hashes.spool(8), new byte[2]);

        try (HashSpool.Reader spool = hashes.reader(8)) {
            assertThatThrownBy(() -> spool.read(span)).hasMessageContaining("file #8").hasMessageContaining("ends before");
        }
        hashes.drop(8);
        try (HashSpool.Reader spool = hashes.reader(8)) {
            assertThat(spool.read(null)).as("a file without hashes (a duplicate, update lines) needs no spool").isNull();
            assertThatThrownBy(() -> spool.read(span)).hasMessageContaining("file #8 are missing");
        }
    }

    @Test
    void keepsTheHashesOfAFileWhoseForgettingIsRolledBackAndDropsThemOnceItIsCommitted() throws Exception {
        H2Ledger ledger = H2Ledger.open(dir);
        HashSpool hashes = ServiceFolders.hashSpool(dir);
        hashes.append(9, new String[] {"QUJD"});

        ledger.transaction().executeWithoutResult(status -> {
            hashes.dropOnCommit(9);
            status.setRollbackOnly();
        });
        assertThat(hashes.spool(9)).as("rolled back").exists();
        ledger.transaction().executeWithoutResult(status -> hashes.dropOnCommit(9));
        assertThat(hashes.spool(9)).as("committed").doesNotExist();
    }
}
