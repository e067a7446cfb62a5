package org.autopilotbridge.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;

import org.autopilotbridge.ledger.EarlierLines.Row;
import org.junit.jupiter.api.Test;

class EarlierLinesTest {

    private static final long FILE = 9;
    private static final Instant RECEIVED = Instant.parse("2026-12-06T12:00:00Z");

    @Test
    void aLineRepeatingASerialNumberOfItsFileIsADuplicateOfTheFirstLineWithIt() {
        // Line 4 of an earlier chunk has S-1; line 12 of this chunk has S-2 first.
        EarlierLines earlier = new EarlierLines(FILE, List.of(new Row("S-1", 3, FILE, 4, "a.csv", RECEIVED)));

        List<RecordedLine> decided = earlier.decide(List.of(valid(11, "S-1"), valid(12, "S-2"), valid(13, "S-2")), false, true);

        assertThat(decided).extracting(RecordedLine::outcome).containsExactly(Outcome.DUPLICATE, null, Outcome.DUPLICATE);
        assertThat(decided).extracting(RecordedLine::detail).containsExactly(LineWording.duplicateOf(4), null,
                LineWording.duplicateOf(12));
        assertThat(decided.get(0).serialKey()).as("keeps its device, as recorded").isEqualTo("S-1");
    }

    @Test
    void aDeviceImportedFromAnotherFileIsRegisteredFromItsLatestImport() {
        List<Row> imports = List.of(new Row("S-1", 5, 2, 7, "old.csv", RECEIVED), new Row("S-1", 8, 3, 2, "newer.csv", RECEIVED));

        RecordedLine plain = new EarlierLines(FILE, imports).decide(List.of(valid(2, "S-1")), false, true).get(0);
        RecordedLine ownTag = new EarlierLines(FILE, imports).decide(List.of(tagged(2, "S-1")), false, true).get(0);
        RecordedLine ownTagNotUpdated = new EarlierLines(FILE, imports).decide(List.of(tagged(2, "S-1")), false, false).get(0);

        assertThat(plain.outcome()).isEqualTo(Outcome.ALREADY_REGISTERED);
        assertThat(plain.detail()).isEqualTo(LineWording.registeredFrom("newer.csv", 3, 2, RECEIVED));
        assertThat(ownTag.outcome()).as("its own group tag, with update-existing").isEqualTo(Outcome.UPDATING);
        assertThat(ownTagNotUpdated.outcome()).isEqualTo(Outcome.ALREADY_REGISTERED);
    }

    @Test
    void updateOnlyLinesAreUpdatingAndADryRunDecidesDuplicatesAlone() {
        List<Row> imports = List.of(new Row("S-1", 5, 2, 7, "old.csv", RECEIVED));
        RecordedLine updateOnly = new RecordedLine(3, "S-3", "S-3", null, null, "Tag", null, null, null, null, true);
        RecordedLine rejected = valid(4, "S-1").rejected("no hash");

        assertThat(new EarlierLines(FILE, imports).decide(List.of(updateOnly, rejected), false, true)).extracting(RecordedLine::outcome)
                .containsExactly(Outcome.UPDATING, Outcome.REJECTED);
        assertThat(new EarlierLines(FILE, imports).decide(List.of(valid(2, "S-1"), valid(3, "S-1"), updateOnly), true, true))
                .extracting(RecordedLine::outcome).containsExactly(null, Outcome.DUPLICATE, null);
    }

    private static RecordedLine valid(long line, String serial) {
        return new RecordedLine(line, serial, serial, "T0Fh", null, null, null, null, null, null, false);
    }

    private static RecordedLine tagged(long line, String serial) {
        return new RecordedLine(line, serial, serial, "T0Fh", null, "Tag", null, null, null, null, true);
    }
}
