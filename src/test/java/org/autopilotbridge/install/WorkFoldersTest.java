package org.autopilotbridge.install;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;

import org.autopilotbridge.config.FolderProperties;
import org.autopilotbridge.config.GraphProperties;
import org.autopilotbridge.config.ImportProperties;
import org.autopilotbridge.config.TenantProperties;
import org.autopilotbridge.config.TenantSettings;
import org.autopilotbridge.tenant.Tenants;
import org.autopilotbridge.testing.TestTenants;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each tenant's folders are made and proven writable at start, and each tenant's inbox is read for it alone. */
class WorkFoldersTest {

    @TempDir
    Path dir;

    @Test
    void makesEachTenantsFoldersBesideTheTopLevelOnes() {
        FolderProperties folders = folders();

        new WorkFolders(folders, TestTenants.several(folders, "contoso", "fabrikam"));

        for (String tenant : new String[] {"contoso", "fabrikam"}) {
            assertThat(dir.resolve("inbox").resolve(tenant)).isDirectory();
            assertThat(dir.resolve("done").resolve(tenant)).isDirectory();
            assertThat(dir.resolve("dead-letter").resolve(tenant)).isDirectory();
        }
        assertThat(WorkFolders.all(folders, TestTenants.single(folders))).as("a single tenant's are the top-level ones")
                .containsOnlyKeys("autopilot.inbox", "autopilot.done", "autopilot.dead-letter", "autopilot.data-dir");
    }

    @Test
    void refusesATenantInboxThatIsTheTopLevelInboxOrAnotherTenants() {
        FolderProperties folders = folders();

        assertThatThrownBy(() -> new WorkFolders(folders, tenants(folders, "inbox", null)))
                .isInstanceOf(StartupRefusedException.class)
                .hasMessage("autopilot.tenants.contoso.inbox (" + dir.resolve("inbox") + ") is the same folder as autopilot.inbox");
        assertThatThrownBy(() -> new WorkFolders(folders, tenants(folders, "shared", "shared")))
                .isInstanceOf(StartupRefusedException.class)
                .hasMessage("autopilot.tenants.fabrikam.inbox (" + dir.resolve("shared") + ") is the same folder as "
                        + "autopilot.tenants.contoso.inbox");
    }

    /** Tenants contoso and fabrikam, with these inboxes of their own (null: the default). */
    private Tenants tenants(FolderProperties folders, String contosoInbox, String fabrikamInbox) {
        TenantProperties tenants = new TenantProperties();
        tenants.getTenants().put("contoso", tenant(contosoInbox));
        tenants.getTenants().put("fabrikam", tenant(fabrikamInbox));
        return new Tenants(tenants, new GraphProperties(), new ImportProperties(), folders);
    }

    private static TenantSettings tenant(String inbox) {
        TenantSettings settings = new TenantSettings();
        settings.setTenantId("contoso.onmicrosoft.com");
        settings.setInbox(inbox == null ? null : Path.of(inbox));
        return settings;
    }

    private FolderProperties folders() {
        FolderProperties folders = new FolderProperties();
        folders.setHome(dir);
        folders.setInbox(dir.resolve("inbox"));
        folders.setDone(dir.resolve("done"));
        folders.setDeadLetter(dir.resolve("dead-letter"));
        folders.setDataDir(dir.resolve("state"));
        return folders;
    }
}
