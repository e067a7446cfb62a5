package org.autopilotbridge.preflight;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;

import org.autopilotbridge.config.FolderProperties;
import org.autopilotbridge.testing.OtherFileSystem;
import org.autopilotbridge.testing.TestTenants;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What --check says of the work folders' file systems. */
class FolderCheckTest {

    @TempDir
    Path temp;

    @Test
    void saysWhenTheInboxIsOnAnotherFileSystemThanTheDataFolder() {
        FolderProperties properties = new FolderProperties();
        properties.setInbox(OtherFileSystem.folderBeside(temp));
        properties.setDone(temp.resolve("done"));
        properties.setDeadLetter(temp.resolve("dead-letter"));
        properties.setDataDir(temp.resolve("state"));

        List<CheckResult> results = FolderCheck.check(properties, TestTenants.single(properties));

        assertThat(results).filteredOn(r -> r.name().equals("autopilot.inbox")).singleElement().satisfies(inbox -> {
            assertThat(inbox.status()).isEqualTo(CheckResult.Status.OK);
            assertThat(inbox.detail()).contains("on another file system than autopilot.data-dir")
                    .contains("copied between them, not renamed");
        });
        assertThat(results).filteredOn(r -> !r.name().equals("autopilot.inbox"))
                .allSatisfy(r -> assertThat(r.detail()).doesNotContain("another file system"));
    }

    @Test
    void checksEachTenantsFoldersByTheirKeys() {
        FolderProperties properties = new FolderProperties();
        properties.setInbox(temp.resolve("inbox"));
        properties.setDone(temp.resolve("done"));
        properties.setDeadLetter(temp.resolve("dead-letter"));
        properties.setDataDir(temp.resolve("state"));

        List<CheckResult> results = FolderCheck.check(properties, TestTenants.several(properties, "contoso"));

        assertThat(results).extracting(CheckResult::name).containsExactly("autopilot.inbox", "autopilot.done", "autopilot.dead-letter",
                "autopilot.data-dir", "autopilot.tenants.contoso.inbox", "autopilot.tenants.contoso.done",
                "autopilot.tenants.contoso.dead-letter");
        assertThat(results).filteredOn(r -> r.name().equals("autopilot.tenants.contoso.done")).singleElement()
                .satisfies(done -> assertThat(done.detail()).startsWith(temp.resolve("done").resolve("contoso") + " does not exist yet"));
    }
}
