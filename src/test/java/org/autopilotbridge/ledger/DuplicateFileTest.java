package org.autopilotbridge.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A file dropped again with the same content: each of its lines says how that line ended in the earlier run. */
class DuplicateFileTest {

    @TempDir
    Path folder;

    @Test
    void eachLineSaysItsOutcomeInTheEarlierRunInTheResultsFilesWording() {
        try (LedgerOnDisk ledger = new LedgerOnDisk(folder)) {
            long monday = ledger.startFile("monday.csv", 300);
            ledger.jdbc().update("""
                    INSERT INTO device (file_id, line_no, serial_number, outcome)
                    VALUES (?, 2, 'SN-1', 'IMPORTED'), (?, 3, 'SN-2', 'ALREADY_REGISTERED'), (?, 4, 'SN-3', NULL)""",
                    monday, monday, monday);
            HashFile earlier = ledger.files().filesInStatus(FileStatus.RECEIVING).get(0);
            long tuesday = ledger.startFile("tuesday.csv", 300);

            new DuplicateFiles(ledger.jdbc()).copyAsDuplicate(tuesday, earlier);

            String sameContent = "same content as monday.csv (file #" + monday + ", received " + earlier.receivedAt()
                    + "), not imported again; outcome there: ";
            assertThat(ledger.jdbc().queryForList("SELECT serial_number || ' ' || outcome || ' ' || detail FROM device "
                    + "WHERE file_id = ? ORDER BY line_no", String.class, tuesday)).containsExactly(
                    "SN-1 DUPLICATE " + sameContent + "imported",
                    "SN-2 DUPLICATE " + sameContent + "already-registered",
                    "SN-3 DUPLICATE " + sameContent + "still in progress");
        }
    }
}
