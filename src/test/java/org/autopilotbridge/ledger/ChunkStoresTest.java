package org.autopilotbridge.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.LongStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Recording a chunk of lines writes the embedded ledger's file once, at its commit, in the ledger as the service opens
 * it (every commit written at once): H2 handing out the devices' ids must not store everything changed so far each
 * time its cache of ids runs out (every 32 ids by default, some 31 stores in the middle of a 1,000-line chunk).
 */
class ChunkStoresTest {

    private static final int CHUNK = 1000;

    @TempDir
    Path dir;

    @Test
    void aChunkOfAThousandLinesIsStoredAtItsCommitOnly() {
        try (LedgerOnDisk ledger = new LedgerOnDisk(dir)) {
            long file = ledger.startFile("a.csv", 1);
            ledger.recordLines(file, lines(1));
            long before = fileWrites(ledger);

            ledger.recordLines(file, lines(CHUNK + 1));

            assertThat(ledger.jdbc().queryForObject("SELECT COUNT(*) FROM device WHERE file_id = ?", Long.class, file))
                    .isEqualTo(2L * CHUNK);
            assertThat(fileWrites(ledger) - before).as("writes to the ledger's file while a chunk is recorded").isLessThanOrEqualTo(2);
        }
    }

    private static long fileWrites(LedgerOnDisk ledger) {
        return Long.parseLong(ledger.jdbc().queryForObject(
                "SELECT SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS WHERE SETTING_NAME = 'info.FILE_WRITE'", String.class));
    }

    private static List<RecordedLine> lines(long first) {
        return LongStream.range(first, first + CHUNK).mapToObj(line -> new RecordedLine(line, "S-" + line, "S-" + line,
                "T0Fh" + "A".repeat(4000), null, null, null, null, null, null, false)).toList();
    }
}
