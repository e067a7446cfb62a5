package org.autopilotbridge.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;

import org.junit.jupiter.api.Test;

/** A file's status as {@code hash_file.status} holds it: the names are data, written by earlier versions too. */
class FileStatusTest {

    @Test
    void eachStatusIsStoredUnderTheNameEarlierVersionsAndTheMigrationsUse() {
        assertThat(Arrays.stream(FileStatus.values()).map(FileStatus::name))
                .containsExactly("RECEIVING", "RECORDED", "FINISHED", "REFUSED", "PURGING");
        for (FileStatus status : FileStatus.values()) {
            assertThat(FileStatus.of(status.name())).isSameAs(status);
        }
    }

    @Test
    void aStatusTheServiceDoesNotKnowIsABrokenLedgerAndSaysWhichValue() {
        assertThatThrownBy(() -> FileStatus.of("received")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("received");
        assertThatThrownBy(() -> FileStatus.of(null)).isInstanceOf(IllegalStateException.class);
    }
}
