package org.autopilotbridge.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.autopilotbridge.ledger.FileStatus;
import org.autopilotbridge.ledger.Outcome;
import org.junit.jupiter.api.Test;

/** The words the page and the API use for where a file is, and for its lines by outcome. */
class FileStateTest {

    @Test
    void namesAFilesStateFromTheLedgerAndItsUnsentLines() {
        assertThat(FileState.of(FileStatus.RECEIVING, 0, false)).isEqualTo(FileState.READING);
        assertThat(FileState.of(FileStatus.RECORDED, 12, false)).isEqualTo(FileState.IMPORTING);
        assertThat(FileState.of(FileStatus.RECORDED, 0, true)).as("a batch on its way to Graph").isEqualTo(FileState.IMPORTING);
        assertThat(FileState.of(FileStatus.RECORDED, 0, false)).isEqualTo(FileState.FOLLOWING);
        assertThat(FileState.of(FileStatus.FINISHED, 0, false)).isEqualTo(FileState.FINISHED);
        assertThat(FileState.of(FileStatus.REFUSED, 0, false)).isEqualTo(FileState.REFUSED);
        assertThatThrownBy(() -> FileState.of(FileStatus.PURGING, 0, false)).isInstanceOf(IllegalArgumentException.class);

        assertThat(FileState.WAITING.inProgress()).isTrue();
        assertThat(FileState.FOLLOWING.inProgress()).isTrue();
        assertThat(FileState.FINISHED.inProgress()).isFalse();
        assertThat(FileState.REFUSED.inProgress()).isFalse();
        assertThat(FileState.FOLLOWING.label()).isEqualTo("following");
    }

    @Test
    void countsLinesByOutcomeWithThoseOnTheirWayAsPendingAndSaysThemInWords() {
        OutcomeCounts counts = new OutcomeCounts();
        counts.add(Outcome.FAILED, 1);
        counts.add(Outcome.IMPORTED, 5);
        counts.add(null, 2);
        counts.add(Outcome.UPDATING, 1);
        counts.add(Outcome.OTHER_TENANT, 1);

        assertThat(counts.total()).isEqualTo(10);
        assertThat(counts.pending()).isEqualTo(3);
        assertThat(counts.needingAction()).as("the lines of the failed-rows file").isEqualTo(2);
        assertThat(counts.byLabel()).containsExactly(Map.entry("imported", 5L), Map.entry("other-tenant", 1L),
                Map.entry("failed", 1L), Map.entry("pending", 3L));
        assertThat(counts.summary()).isEqualTo("imported 5, other-tenant 1, failed 1, pending 3");
        assertThat(counts.segments()).extracting(OutcomeCounts.Segment::percent).containsExactly(50.0, 10.0, 10.0, 30.0);
        assertThat(counts.segments()).extracting(OutcomeCounts.Segment::needsAction).containsExactly(false, true, true, false);
        assertThat(new OutcomeCounts().summary()).isEqualTo("no lines");
    }
}
