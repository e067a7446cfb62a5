package org.autopilotbridge.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.FileSystemException;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SafeNamesTest {

    private final Path folder = Path.of("/srv/autopilot/done/acme");

    @ParameterizedTest
    @ValueSource(strings = {"x/../../state/ledger.mv.db", "../ledger.mv.db", "..", ".", "", "/etc/passwd", "sub/file.csv",
            "sub/", "a/./b.csv"})
    void aNameThatLeavesItsFolderOrIsNoPlainNameIsRefusedBeforeAnythingIsWritten(String name) {
        assertThatThrownBy(() -> SafeNames.resolveInside(folder, name))
                .isInstanceOf(FileSystemException.class)
                .hasMessageContaining(folder.toString())
                .hasMessageContaining("not a file name inside this folder, so nothing is written");
    }

    @ParameterizedTest
    @ValueSource(strings = {"AutopilotHWID.csv", "7-order 17 (final).csv", "two..dots.csv", "..hidden", "a:b.csv", "a\\b.csv"})
    void aPlainNameIsTakenAsItIsDirectlyInsideItsFolder(String name) throws FileSystemException {
        // On Linux ':' and '\' are plain characters; the server-side refusal (below) is stricter.
        assertThat(SafeNames.resolveInside(folder, name)).isEqualTo(folder.resolve(name)).hasParentRaw(folder);
    }

    @Test
    void aNameFromAServerIsRefusedForAnythingThatCouldLeadElsewhereOrForgeALogLine() {
        assertThat(SafeNames.refusal("x/../../state/ledger.mv.db")).isEqualTo("it holds \"/\", which could lead out of the folder it is written to");
        assertThat(SafeNames.refusal("x\\..\\state")).contains("\"\\\"");
        assertThat(SafeNames.refusal("two..dots.csv")).contains("\"..\"");
        assertThat(SafeNames.refusal("C:evil.csv")).contains("\":\"");
        assertThat(SafeNames.refusal("line\nbreak.csv")).isEqualTo("it holds a control character");
        assertThat(SafeNames.refusal("")).isEqualTo("it is empty");
        assertThat(SafeNames.refusal("AutopilotHWID (2).csv")).isNull();
        assertThat(SafeNames.shown("bell\u0007\r\n.csv")).isEqualTo("bell\\u0007\\u000d\\u000a.csv");
    }
}
