package org.autopilotbridge.track;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.autopilotbridge.graph.ImportedDeviceIdentity.ImportState;
import org.autopilotbridge.graph.ImportedDeviceIdentity;
import org.autopilotbridge.ledger.PendingDevice;
import org.junit.jupiter.api.Test;

/** A device's outcome comes from its own staged record, never from another import's record with its serial. */
class RecordMatcherTest {

    private static final String IMPORT = "apb-7-1-0a1b2c3d4e5f";

    private static PendingDevice device(long id, String serial, String graphId) {
        return new PendingDevice(id, id + 1, serial, serial.toUpperCase(), null, null, null, null, null, graphId, false);
    }

    private static ImportedDeviceIdentity record(String id, String serial, String importId, String status) {
        return new ImportedDeviceIdentity(ImportedDeviceIdentity.ODATA_TYPE, id, null, serial, null, importId, null, null,
                new ImportState(status, "", 0, ""));
    }

    @Test
    void takesADeviceByItsGraphIdWhateverImportIdTheRecordCarries() {
        RecordMatcher matcher = new RecordMatcher(IMPORT, List.of(device(1, "pf-1", "g-1"), device(2, "PF-2", "g-2")));

        assertThat(matcher.offer(record("g-1", "PF-1", IMPORT, "complete"))).isTrue();
        assertThat(matcher.offer(record("g-2", "PF-2", "g-2", "pending"))).as("a single create: importId = id").isTrue();

        assertThat(matcher.found()).containsOnlyKeys(1L, 2L);
        assertThat(matcher.unfoundGraphIds()).isEmpty();
    }

    @Test
    void neverTakesALeftoverOfAnotherImportWithTheSameSerial() {
        RecordMatcher matcher = new RecordMatcher(IMPORT, List.of(device(1, "PF-1", "g-1"), device(2, "PF-2", null)));

        assertThat(matcher.offer(record("old-1", "PF-1", "earlier-import", "error"))).isFalse();
        assertThat(matcher.offer(record("old-2", "PF-2", "earlier-import", "error"))).isFalse();

        assertThat(matcher.found()).isEmpty();
        assertThat(matcher.unfoundGraphIds()).containsExactly("g-1");
        assertThat(matcher.missingUnidentified()).isTrue();
    }

    @Test
    void takesADeviceWithoutAGraphIdByImportIdAndSerial() {
        RecordMatcher matcher = new RecordMatcher(IMPORT, List.of(device(2, "pf-2", null)));

        assertThat(matcher.offer(record("new-2", "PF-2", IMPORT, "pending"))).isTrue();

        assertThat(matcher.found().get(2L).id()).isEqualTo("new-2");
        assertThat(matcher.missingUnidentified()).isFalse();
    }

    @Test
    void aRecordOfThisImportThatIsNoDeviceOfTheseStillBelongsToTheImport() {
        RecordMatcher matcher = new RecordMatcher(IMPORT, List.of(device(1, "PF-1", "g-1")));

        assertThat(matcher.offer(record("g-9", "PF-9", IMPORT, "complete"))).isTrue();
        assertThat(matcher.found()).isEmpty();
    }
}
